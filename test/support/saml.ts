import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { Express } from 'express';
import request from 'supertest';
import { ENTRA } from '../../src/saml/mapping';
import { samlResponse, type ResponseInput, type SigningKey } from '../../src/saml/local-idp/response';

/** The test identity provider: its keys are the local identity provider's (test-only, see their README). */
const KEYS = path.join(__dirname, '..', '..', 'src', 'saml', 'local-idp', 'keys');
export const keyFile = (name: string, kind: 'key' | 'crt') => path.join(KEYS, `${name}.${kind}`);
export const signingKey = (name: 'idp' | 'idp-next' | 'other'): SigningKey => ({
  key: readFileSync(keyFile(name, 'key'), 'utf8'),
  cert: readFileSync(keyFile(name, 'crt'), 'utf8'),
});

export const IDP = {
  entityId: 'https://sts.example.test/tenant-1/',
  ssoUrl: 'https://login.example.test/saml2',
};
export const PUBLIC_URL = 'http://localhost:3000';
export const SP_ENTITY_ID = `${PUBLIC_URL}/auth/saml/metadata`;
export const CALLBACK = `${PUBLIC_URL}/auth/saml/callback`;
export const TENANT = '11111111-2222-3333-4444-555555555555';

/** A role mapping as a council would write it: Entra app roles granting roles, teams and service areas. */
export const MAPPING = {
  subject: 'entra',
  grants: [
    { claim: 'CaseAudit.Auditor', roles: ['auditor'] },
    { claim: 'CaseAudit.Moderator', roles: ['moderator'] },
    { claim: 'CaseAudit.Manager.AssessmentNorth', roles: ['team_manager'], teams: ['assessment-north'] },
    { claim: 'CaseAudit.Admin', roles: ['admin'] },
  ],
};

/** The environment that puts the service in single sign-on mode against the test identity provider. */
export function samlEnv(mapping: object = MAPPING): Record<string, string> {
  const file = path.join(
    tmpdir(),
    `case-audit-mapping-${process.pid}-${Math.random().toString(36).slice(2)}.json`,
  );
  writeFileSync(file, JSON.stringify(mapping));
  return {
    AUTH_MODE: 'saml',
    PUBLIC_URL,
    SAML_IDP_ENTITY_ID: IDP.entityId,
    SAML_IDP_SSO_URL: IDP.ssoUrl,
    SAML_IDP_CERT_FILES: `${keyFile('idp', 'crt')},${keyFile('idp-next', 'crt')}`,
    SAML_ROLE_MAPPING_FILE: file,
  };
}

/** Someone in the council's directory, as Entra describes them. */
export interface Person {
  objectId: string;
  email: string;
  name: string;
  roles: string[];
}

export const attributesOf = (person: Person): Record<string, string[]> => ({
  [ENTRA.objectId]: [person.objectId],
  [ENTRA.tenantId]: [TENANT],
  [ENTRA.email]: [person.email],
  [ENTRA.name]: [person.name],
  [ENTRA.roles]: person.roles,
});

/** Starts a sign-in as a browser would: the id of the request the service sent, and its RelayState. */
export async function startSignIn(
  agent: request.Agent | ReturnType<typeof request>,
  returnTo = '/',
): Promise<{ requestId: string; relayState: string }> {
  const res = await agent.get(`/auth/saml/login?returnTo=${encodeURIComponent(returnTo)}`).expect(302);
  const location = new URL(res.headers.location as string);
  const xml = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest') ?? '', 'base64')).toString(
    'utf8',
  );
  const requestId = /\sID="([^"]+)"/.exec(xml)?.[1];
  if (!requestId) throw new Error('the sign-in request has no ID');
  return { requestId, relayState: location.searchParams.get('RelayState') ?? '' };
}

/** A response to a request, signed by the test identity provider unless told otherwise. */
export function responseTo(requestId: string, person: Person, over: Partial<ResponseInput> = {}) {
  return samlResponse({
    idpEntityId: IDP.entityId,
    audience: SP_ENTITY_ID,
    callbackUrl: CALLBACK,
    inResponseTo: requestId,
    nameId: person.objectId,
    attributes: attributesOf(person),
    signingKey: signingKey('idp'),
    ...over,
  });
}

/** Posts a response as the identity provider's page does. */
export const postResponse = (agent: request.Agent | Express, xml: string, relayState = '/') =>
  (agent instanceof Function ? request(agent) : agent)
    .post('/auth/saml/callback')
    .type('form')
    .send({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'), RelayState: relayState });
