import Ajv from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import { ROLES, type Role } from '../auth/roles';
import type { Identity } from '../users/single-sign-on';

/**
 * How the identity provider's claims become a user of the service: which claims name the person, and which
 * claim values (Entra app roles, or group object ids, or ADFS role claims) grant which roles, teams and
 * service areas. Read from the file SAML_ROLE_MAPPING_FILE names, checked at boot.
 */
export const ENTRA = {
  objectId: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  tenantId: 'http://schemas.microsoft.com/identity/claims/tenantid',
  roles: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
  groupsOverage: 'http://schemas.microsoft.com/claims/groups.link',
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  name: 'http://schemas.microsoft.com/identity/claims/displayname',
} as const;

const mappingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['subject', 'grants'],
  properties: {
    /**
     * `entra`: the person is their Entra object id within their tenant (never their email, which changes);
     * `name-id`: the persistent NameID within the identity provider (ADFS, others).
     */
    subject: { enum: ['entra', 'name-id'] },
    claims: {
      type: 'object',
      additionalProperties: false,
      properties: {
        /** The claim whose values are matched against the grants: Entra app roles by default. */
        roles: { type: 'string', minLength: 1 },
        email: { type: 'string', minLength: 1 },
        name: { type: 'string', minLength: 1 },
      },
    },
    grants: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['claim', 'roles'],
        properties: {
          /** The claim value: an app role's value, a group's object id, an ADFS role. */
          claim: { type: 'string', minLength: 1 },
          roles: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ROLES } },
          /** Codes of the teams managed (team managers). */
          teams: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 } },
          /** Codes of the service areas led (heads of service). */
          serviceAreas: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 } },
        },
      },
    },
  },
} as const;

export type RoleMapping = FromSchema<typeof mappingSchema>;

const validateMapping = new Ajv({ allErrors: true }).compile<RoleMapping>(mappingSchema);

/** The mapping in a file's text, or the problems with it (each naming where). */
export function parseMapping(text: string, file: string): { mapping?: RoleMapping; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problems: [`SAML_ROLE_MAPPING_FILE: ${file} is not JSON (${(err as Error).message})`] };
  }
  if (!validateMapping(value))
    return {
      problems: (validateMapping.errors ?? []).map(
        (e) => `SAML_ROLE_MAPPING_FILE: ${file}${e.instancePath || ''} ${e.message ?? 'is not valid'}`,
      ),
    };
  return { mapping: value, problems: [] };
}

/** A person as the identity provider asserted them. */
export interface Claims {
  nameId: string;
  issuer: string;
  attributes: Record<string, string[]>;
}

/** Why a person's claims give them no access: for the page they see and the audit log. */
export type NoAccess = 'no-subject' | 'no-role' | 'groups-overage';

const first = (claims: Claims, name: string) => claims.attributes[name]?.[0]?.trim() ?? '';

/** The identity and grants a person's claims give under the mapping, or why they give none. */
export function identityOf(claims: Claims, mapping: RoleMapping): Identity | { noAccess: NoAccess } {
  const entra = mapping.subject === 'entra';
  const tenantId = entra ? first(claims, ENTRA.tenantId) : claims.issuer;
  const subject = entra ? first(claims, ENTRA.objectId) : claims.nameId.trim();
  if (!tenantId || !subject) return { noAccess: 'no-subject' };
  const values = new Set(claims.attributes[mapping.claims?.roles ?? ENTRA.roles] ?? []);
  const grants = mapping.grants.filter((g) => values.has(g.claim));
  if (grants.length === 0)
    // Entra sends a link instead of the groups when there are too many: app roles never overflow.
    return { noAccess: claims.attributes[ENTRA.groupsOverage] ? 'groups-overage' : 'no-role' };
  const all = <T>(pick: (g: (typeof grants)[number]) => readonly T[] | undefined) => [
    ...new Set(grants.flatMap((g) => pick(g) ?? [])),
  ];
  const email = first(claims, mapping.claims?.email ?? ENTRA.email) || claims.nameId;
  return {
    tenantId,
    subject,
    email,
    displayName: first(claims, mapping.claims?.name ?? ENTRA.name) || email,
    roles: all((g) => g.roles as readonly Role[]),
    teamCodes: all((g) => g.teams),
    serviceAreaCodes: all((g) => g.serviceAreas),
  };
}
