import { deflateRawSync, inflateRawSync } from 'node:zlib';
import request from 'supertest';
import { SAML_POSTED_PATHS } from '../../src/http/csrf';
import {
  postLogoutRequest,
  redirectLogoutRequest,
  type LogoutRequestInput,
} from '../../src/saml/local-idp/logout';
import { newId } from '../../src/saml/local-idp/response';
import { createLocalIdp } from '../../src/saml/local-idp/server';
import { createTestContext, type TestContext } from '../support/app';
import {
  CALLBACK,
  eventCount,
  IDP,
  latestEvent,
  newPerson,
  postResponse,
  PUBLIC_URL,
  responseTo,
  samlEnv,
  signedIn,
  signingKey,
  SP_ENTITY_ID,
  SP_KEY_ENV,
  startSignIn,
  TENANT,
  type Person,
} from '../support/saml';

/**
 * Single logout started by the identity provider: its signed sign-out request (HTTP-Redirect or
 * HTTP-POST) ends the sessions its sign-in began for that person, and only those, and the browser takes a
 * signed LogoutResponse back to it. A request unsigned, from another issuer, to another service, too old
 * or otherwise forged ends nothing: a 401, and an audit-log event saying why.
 */
const SLO = 'https://login.example.test/saml2/logout';
const LOGOUT_CALLBACK = `${PUBLIC_URL}/auth/saml/logout/callback`;
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { ...samlEnv(), ...SP_KEY_ENV, SAML_IDP_SLO_URL: SLO } });
}, 60_000);
afterAll(() => ctx.close());

/** A browser signed in as this person, in the identity provider's session `sessionIndex`. */
async function signedInAs(person: Person, sessionIndex = newId()): Promise<request.Agent> {
  const agent = request.agent(ctx.app);
  const { requestId } = await startSignIn(agent);
  await postResponse(agent, responseTo(requestId, person, { sessionIndex }).xml).expect(302);
  expect(await signedIn(agent)).toBe(true);
  return agent;
}

const logoutOf = (person: Person, over: Partial<LogoutRequestInput> = {}): LogoutRequestInput => ({
  idpEntityId: IDP.entityId,
  destination: LOGOUT_CALLBACK,
  nameId: person.objectId,
  signingKey: signingKey('idp'),
  ...over,
});

const pathOf = (url: string) => url.slice(PUBLIC_URL.length);

/** The LogoutResponse a redirect to the identity provider carries. */
function logoutResponseIn(location: string): { xml: string; params: URLSearchParams } {
  const url = new URL(location);
  expect(`${url.origin}${url.pathname}`).toBe(SLO);
  const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLResponse') ?? '', 'base64')).toString(
    'utf8',
  );
  return { xml, params: url.searchParams };
}

describe('single logout from the identity provider', () => {
  it('by HTTP-Redirect ends the session it names, not the person’s others nor anyone else’s', async () => {
    const pat = newPerson(['CaseAudit.Auditor']);
    const lee = newPerson(['CaseAudit.Auditor']);
    const browser = await signedInAs(pat, 'session-1');
    const laptop = await signedInAs(pat, 'session-2');
    const other = await signedInAs(lee, 'session-1');

    const { url, id } = redirectLogoutRequest(logoutOf(pat, { sessionIndex: 'session-1' }), 'back-to-idp');
    const res = await browser.get(pathOf(url)).expect(302);
    const { xml, params } = logoutResponseIn(res.headers.location as string);
    expect(xml).toContain('LogoutResponse');
    expect(xml).toContain(`InResponseTo="${id}"`);
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
    expect(params.get('RelayState')).toBe('back-to-idp');
    expect(params.get('Signature')).toBeTruthy();
    expect(params.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');

    expect(await signedIn(browser)).toBe(false);
    expect(await signedIn(laptop)).toBe(true);
    expect(await signedIn(other)).toBe(true);
    const event = await latestEvent(ctx.db.knex, 'user.sign_out');
    expect(event.summary).toEqual({ method: 'saml', by: 'identity_provider', sessionsEnded: 1 });
  });

  it('by HTTP-POST, without a CSRF token, and naming no session, ends every session of the person', async () => {
    const pat = newPerson(['CaseAudit.Auditor']);
    const lee = newPerson(['CaseAudit.Auditor']);
    const browsers = [await signedInAs(pat), await signedInAs(pat)];
    const other = await signedInAs(lee);

    const { samlRequest, id } = postLogoutRequest(logoutOf(pat));
    const res = await request(ctx.app)
      .post('/auth/saml/logout/callback')
      .type('form')
      .send({ SAMLRequest: samlRequest })
      .expect(302);
    expect(logoutResponseIn(res.headers.location as string).xml).toContain(`InResponseTo="${id}"`);
    for (const browser of browsers) expect(await signedIn(browser)).toBe(false);
    expect(await signedIn(other)).toBe(true);
    const event = await latestEvent(ctx.db.knex, 'user.sign_out');
    expect(event.summary).toMatchObject({ by: 'identity_provider', sessionsEnded: 2 });
  });

  it('is started from the local test identity provider, ending the session it began', async () => {
    const pat = newPerson(['CaseAudit.Auditor']);
    const idp = createLocalIdp({
      entityId: IDP.entityId,
      signingKey: signingKey('idp'),
      audience: SP_ENTITY_ID,
      callbackUrl: CALLBACK,
      logoutUrl: LOGOUT_CALLBACK,
      directory: [{ ...pat, tenantId: TENANT }],
    });
    const browser = request.agent(ctx.app);
    const { requestId } = await startSignIn(browser);
    const chosen = await request(idp)
      .post('/saml2/respond')
      .type('form')
      .send({ requestId, person: '0', relayState: '/' })
      .expect(200);
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(chosen.text)?.[1];
    await browser.post('/auth/saml/callback').type('form').send({ SAMLResponse: samlResponse }).expect(302);
    expect(await signedIn(browser)).toBe(true);

    const sessions = await request(idp).get('/saml2/logout').expect(200);
    const sessionIndex = /name="sessionIndex" value="([^"]+)"/.exec(sessions.text)?.[1];
    const out = await request(idp).post('/saml2/logout').type('form').send({ sessionIndex }).expect(302);
    await browser.get(pathOf(out.headers.location as string)).expect(302);
    expect(await signedIn(browser)).toBe(false);
  });

  it('is offered at both bindings in the metadata', async () => {
    const res = await request(ctx.app).get('/auth/saml/metadata').expect(200);
    for (const binding of ['HTTP-Redirect', 'HTTP-POST'])
      expect(res.text).toMatch(
        new RegExp(
          `<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:${binding}" Location="${LOGOUT_CALLBACK}"`,
        ),
      );
  });

  it('is the only form besides the sign-in response taken without a CSRF token', async () => {
    expect([...SAML_POSTED_PATHS]).toEqual(['/auth/saml/callback', '/auth/saml/logout/callback']);
    const browser = await signedInAs(newPerson(['CaseAudit.Auditor']));
    await browser.post('/sign-out').type('form').send({}).expect(403);
    await browser.post('/auth/saml/logout/callback/').type('form').send({}).expect(403);
  });
});

type Send = (agent: request.Agent, person: Person) => Promise<request.Response>;

const redirect =
  (over: Partial<LogoutRequestInput>, tamper = (url: string) => url): Send =>
  (agent, person) =>
    agent.get(pathOf(tamper(redirectLogoutRequest(logoutOf(person, over)).url)));
const post =
  (over: Partial<LogoutRequestInput>, tamper = (xml: string) => xml): Send =>
  (agent, person) => {
    const { samlRequest } = postLogoutRequest(logoutOf(person, over));
    const xml = tamper(Buffer.from(samlRequest, 'base64').toString('utf8'));
    return agent
      .post('/auth/saml/logout/callback')
      .type('form')
      .send({ SAMLRequest: Buffer.from(xml, 'utf8').toString('base64') });
  };

const ANOTHER_IDP = 'https://sts.example.test/another-tenant/';
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

const FORGED: [string, RegExp, Send][] = [
  ['an unsigned redirect', /sign-out request is not signed/, redirect({ unsigned: true })],
  ['a redirect from another issuer', /issuer is not the configured/, redirect({ idpEntityId: ANOTHER_IDP })],
  [
    'a redirect signed by a key not configured',
    /Invalid query signature/,
    redirect({ signingKey: signingKey('other') }),
  ],
  ['a redirect signed with SHA-1', /SHA-256 or stronger/, redirect({ algorithm: 'sha1' })],
  [
    'a redirect to another service',
    /Destination is not this service/,
    (agent, person) =>
      agent.get(
        pathOf(
          redirectLogoutRequest(
            logoutOf(person, { destination: 'https://elsewhere.example/slo' }),
          ).url.replace('https://elsewhere.example/slo', LOGOUT_CALLBACK),
        ),
      ),
  ],
  ['a redirect issued twenty minutes ago', /too old/, redirect({ issuedAt: minutesAgo(20) })],
  [
    'a redirect with its NameID changed after signing',
    /Invalid query signature/,
    redirect({}, (url) =>
      url.replace(/SAMLRequest=([^&]+)/, (_whole, value: string) => {
        // Inflated, given another person's NameID, deflated again: well-formed, but not what was signed.
        const xml = inflateRawSync(Buffer.from(decodeURIComponent(value), 'base64')).toString('utf8');
        const changed = xml.replace(/(<saml:NameID[^>]*>)[^<]+/, '$1someone-else');
        return `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(changed)).toString('base64'))}`;
      }),
    ),
  ],
  ['a redirect with a field repeated', /unknown or repeated/, redirect({}, (url) => `${url}&SigAlg=x`)],
  ['an unsigned post', /sign-out request is not signed/, post({ unsigned: true })],
  ['a post from another issuer', /issuer is not the configured/, post({ idpEntityId: ANOTHER_IDP })],
  [
    'a post signed by a key not configured',
    /node-saml refused it/,
    post({ signingKey: signingKey('other') }),
  ],
  [
    'a post with a comment inside its NameID',
    /XML comment/,
    post({}, (xml) => xml.replace('</saml:NameID>', '<!---->x</saml:NameID>')),
  ],
];

describe('single logout refuses', () => {
  it.each(FORGED)('%s: 401, an audit-log event, no session ended', async (_name, reason, send) => {
    const pat = newPerson(['CaseAudit.Auditor']);
    const browser = await signedInAs(pat);
    const before = await eventCount(ctx.db.knex, 'user.sign_out_refused');
    const res = await send(browser, pat);
    expect(res.status).toBe(401);
    expect(res.text).toContain('The sign-out could not be confirmed');
    expect(await signedIn(browser)).toBe(true);
    expect(await eventCount(ctx.db.knex, 'user.sign_out_refused')).toBe(before + 1);
    const event = await latestEvent(ctx.db.knex, 'user.sign_out_refused');
    expect(event.summary.reason).toMatch(reason);
    expect(JSON.stringify(event.summary)).not.toContain(pat.objectId);
  });
});
