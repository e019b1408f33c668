import { createHash } from 'node:crypto';
import type { RoleMapping } from '../saml/mapping';
import { DEMO_USERS, identityOf, type DemoUser } from './organisation';

/**
 * The demo users as a council's directory would describe them, for the local test identity provider
 * (`npm run start:sso`): each with an Entra-style object id in the demo's tenant, and the app roles that
 * grant what they have in the demo. The demo seeds its users with the same tenant and object ids, so
 * single sign-on finds them.
 */
export const DEMO_TENANT = 'case-audit-demo-tenant';

/** A stable object id for a demo email, shaped as Entra's (a UUID). */
export function demoSubject(email: string): string {
  const hex = createHash('sha256').update(`case-audit-demo:${email}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const pascal = (code: string) =>
  code
    .split(/[-_]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/** The app roles a demo user holds: one per role, named with its team or service area where it has one. */
function claimsOf(user: DemoUser): string[] {
  return user.roles.map((role) => {
    if (role === 'team_manager' && 'managerOf' in user)
      return `CaseAudit.TeamManager.${pascal(user.managerOf)}`;
    if (role === 'head_of_service' && 'headOf' in user)
      return `CaseAudit.HeadOfService.${pascal(user.headOf)}`;
    return `CaseAudit.${pascal(role)}`;
  });
}

export interface DirectoryPerson {
  objectId: string;
  tenantId: string;
  email: string;
  name: string;
  /** App role values. */
  roles: string[];
}

/** The demo users as the directory holds them. */
export const demoDirectory = (): DirectoryPerson[] =>
  DEMO_USERS.map((user) => {
    const { displayName, email } = identityOf(user);
    return {
      objectId: demoSubject(email),
      tenantId: DEMO_TENANT,
      email,
      name: displayName,
      roles: claimsOf(user),
    };
  });

/** The role mapping that gives each demo user, signing in, what the demo gives them. */
export function demoMapping(): RoleMapping {
  const grants = new Map<string, RoleMapping['grants'][number]>();
  for (const user of DEMO_USERS)
    for (const [i, claim] of claimsOf(user).entries()) {
      const role = user.roles[i] as DemoUser['roles'][number];
      grants.set(claim, {
        claim,
        roles: [role],
        ...(role === 'team_manager' && 'managerOf' in user ? { teams: [user.managerOf] } : {}),
        ...(role === 'head_of_service' && 'headOf' in user ? { serviceAreas: [user.headOf] } : {}),
      });
    }
  return { subject: 'entra', grants: [...grants.values()] };
}
