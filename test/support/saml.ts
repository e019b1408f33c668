import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { ENTRA } from '../../src/saml/mapping';
import {
  encryptedSamlResponse,
  samlResponse,
  type EncryptFor,
  type ResponseInput,
  type SigningKey,
} from '../../src/saml/local-idp/response';

/** The test identity provider: its keys are the local identity provider's (test-only, see their README). */
const KEYS = path.join(__dirname, '..', '..', 'src', 'saml', 'local-idp', 'keys');
export const keyFile = (name: string, kind: 'key' | 'crt') => path.join(KEYS, `${name}.${kind}`);
export const signingKey = (name: 'idp' | 'idp-next' | 'other' | 'sp'): SigningKey => ({
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

/** Someone new in the directory, with these app roles. */
export const newPerson = (roles: string[], over: Partial<Person> = {}): Person => {
  const id = randomUUID();
  return {
    objectId: id,
    email: `${id.slice(0, 8)}@council.example`,
    name: `Sam ${id.slice(0, 4)}`,
    roles,
    ...over,
  };
};

/** Whether the agent holds a signed-in session. */
export const signedIn = async (agent: request.Agent): Promise<boolean> =>
  (await agent.get('/')).status === 200;

/** How many audit events of an action there are, and the latest. */
export const eventCount = async (knex: Knex, action: string): Promise<number> =>
  Number((await knex('audit_event').where('action', action).count<{ n: string }[]>('* as n'))[0]?.n);
export const latestEvent = (knex: Knex, action: string) =>
  knex('audit_event').where('action', action).orderBy('id', 'desc').first();

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

/** This service provider's own key pair, set in the environment (signing and decryption). */
export const SP_KEY_ENV = { SAML_SP_KEY_FILE: keyFile('sp', 'key'), SAML_SP_CERT_FILE: keyFile('sp', 'crt') };

const responseInput = (requestId: string, person: Person, over: Partial<ResponseInput>): ResponseInput => ({
  idpEntityId: IDP.entityId,
  audience: SP_ENTITY_ID,
  callbackUrl: CALLBACK,
  inResponseTo: requestId,
  nameId: person.objectId,
  attributes: attributesOf(person),
  signingKey: signingKey('idp'),
  ...over,
});

/** A response to a request, signed by the test identity provider unless told otherwise. */
export const responseTo = (requestId: string, person: Person, over: Partial<ResponseInput> = {}) =>
  samlResponse(responseInput(requestId, person, over));

/** The same, its assertion encrypted to this service provider's certificate unless told otherwise. */
export const encryptedResponseTo = (
  requestId: string,
  person: Person,
  over: Partial<ResponseInput> = {},
  to: EncryptFor = { cert: signingKey('sp').cert },
) => encryptedSamlResponse(responseInput(requestId, person, over), to);

/** Posts a response as the identity provider's page does. */
export const postResponse = (agent: request.Agent | Express, xml: string, relayState = '/') =>
  (agent instanceof Function ? request(agent) : agent)
    .post('/auth/saml/callback')
    .type('form')
    .send({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'), RelayState: relayState });

/** A forgery made for a fresh sign-in request: the response's XML. */
export type Forgery = (requestId: string) => Promise<string> | string;

/**
 * Posts a forgery in a fresh sign-in and expects it refused as every refusal is: a 401 with the refusal
 * page, no cookie and no session, and one audit-log event whose reason matches (and names no one).
 */
export async function expectForgeryRefused(
  app: Express,
  knex: Knex,
  forge: Forgery,
  reason: RegExp,
): Promise<void> {
  const agent = request.agent(app);
  const { requestId } = await startSignIn(agent);
  const before = await eventCount(knex, 'user.sign_in_refused');
  const res = await postResponse(agent, await forge(requestId));
  expect(res.status).toBe(401);
  expect(res.text).toContain('You could not be signed in');
  expect(res.headers['set-cookie']).toBeUndefined();
  expect(await signedIn(agent)).toBe(false);
  expect(await eventCount(knex, 'user.sign_in_refused')).toBe(before + 1);
  const event = await latestEvent(knex, 'user.sign_in_refused');
  expect(event.summary.reason).toMatch(reason);
}
