import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { newId, signElement } from '../../src/saml/local-idp/response';
import { createTestContext, type TestContext } from '../support/app';
import {
  CALLBACK,
  eventCount,
  expectForgeryRefused,
  latestEvent,
  newPerson,
  postResponse,
  responseTo,
  samlEnv,
  signedIn,
  signingKey,
  startSignIn,
  TENANT,
  type Forgery,
} from '../support/saml';

/**
 * Single sign-on against responses a real XML signature library signs (xml-crypto, as an identity
 * provider does), through the real endpoints: the right people sign in with the roles their claims grant,
 * and every forged, tampered, stale or replayed response is refused with a 401, an audit-log event and no
 * session.
 */
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ env: samlEnv() });
}, 60_000);
afterAll(() => ctx.close());

const refusals = () => eventCount(ctx.db.knex, 'user.sign_in_refused');

describe('single sign-on', () => {
  it('signs in a person with the roles and teams their app roles grant, keyed on their Entra object id', async () => {
    const agent = request.agent(ctx.app);
    const { requestId, relayState } = await startSignIn(agent, '/my-audits');
    expect(relayState).toBe('/my-audits');
    const sam = newPerson(['CaseAudit.Auditor', 'CaseAudit.Manager.AssessmentNorth']);
    const res = await postResponse(agent, responseTo(requestId, sam).xml, relayState).expect(302);
    expect(res.headers.location).toBe('/my-audits');
    expect(await signedIn(agent)).toBe(true);
    const user = await ctx.db
      .knex('app_user')
      .where({ tenant_id: TENANT, external_subject_id: sam.objectId })
      .first();
    expect(user).toMatchObject({ email: sam.email, display_name: sam.name });
    const roles = await ctx.db.knex('user_role').where('user_id', user.id).pluck('role_code');
    expect(roles.sort()).toEqual(['auditor', 'team_manager']);
    const teams = await ctx.db
      .knex('user_team as ut')
      .join('team as t', 't.id', 'ut.team_id')
      .where('ut.user_id', user.id)
      .pluck('t.code');
    expect(teams).toEqual(['assessment-north']);
    const signIn = await ctx.db
      .knex('audit_event')
      .where({ action: 'user.sign_in', record_id: String(user.id) })
      .first();
    expect(signIn.summary).toMatchObject({ method: 'saml' });
  });

  it('refreshes roles at every sign-in: a role taken away is taken away, and an email change follows', async () => {
    const sam = newPerson(['CaseAudit.Auditor', 'CaseAudit.Moderator']);
    const first = request.agent(ctx.app);
    await postResponse(first, responseTo((await startSignIn(first)).requestId, sam).xml).expect(302);
    const later = request.agent(ctx.app);
    const moved = { ...sam, roles: ['CaseAudit.Auditor'], email: `new-${sam.email}` };
    await postResponse(later, responseTo((await startSignIn(later)).requestId, moved).xml).expect(302);
    const users = await ctx.db.knex('app_user').where('external_subject_id', sam.objectId);
    expect(users).toHaveLength(1);
    expect(users[0].email).toBe(moved.email);
    expect(await ctx.db.knex('user_role').where('user_id', users[0].id).pluck('role_code')).toEqual([
      'auditor',
    ]);
  });

  it('accepts the next certificate during a rollover', async () => {
    const agent = request.agent(ctx.app);
    const { requestId } = await startSignIn(agent);
    const res = responseTo(requestId, newPerson(['CaseAudit.Auditor']), {
      signingKey: signingKey('idp-next'),
    });
    await postResponse(agent, res.xml).expect(302);
    expect(await signedIn(agent)).toBe(true);
  });

  it('gives someone whose claims map to no role a clear page and no session', async () => {
    const agent = request.agent(ctx.app);
    const { requestId } = await startSignIn(agent);
    const before = await refusals();
    const res = await postResponse(agent, responseTo(requestId, newPerson(['Some.Other.App'])).xml).expect(
      403,
    );
    expect(res.text).toContain('You do not have access to Case Audit');
    expect(await signedIn(agent)).toBe(false);
    expect(await refusals()).toBe(before + 1);
  });

  it('refuses the same response posted five times at once, signing in once at most', async () => {
    const agent = request.agent(ctx.app);
    const { requestId } = await startSignIn(agent);
    const { xml } = responseTo(requestId, newPerson(['CaseAudit.Auditor']));
    const results = await Promise.all(Array.from({ length: 5 }, () => postResponse(ctx.app, xml)));
    expect(results.filter((r) => r.status === 302)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(4);
  });
});

const EVIL =
  '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_evil" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>https://sts.example.test/tenant-1/</saml:Issuer></saml:Assertion>';
const signedAssertion = (xml: string) => /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)?.[0] as string;
const who = newPerson(['CaseAudit.Admin']);
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

const FORGERIES: [string, RegExp, Forgery][] = [
  [
    'an unsigned response',
    /response is not signed/,
    (id) => responseTo(id, who, { sign: { response: false, assertion: true } }).xml,
  ],
  [
    'a signed response with an unsigned assertion',
    /assertion is not signed/,
    (id) => responseTo(id, who, { sign: { response: true, assertion: false } }).xml,
  ],
  [
    'a role changed after signing',
    /Invalid document signature/,
    (id) =>
      responseTo(id, newPerson(['CaseAudit.Auditor'])).xml.replace('CaseAudit.Auditor', 'CaseAudit.Admin'),
  ],
  [
    'the subject changed after signing',
    /Invalid document signature/,
    (id) => responseTo(id, who).xml.replaceAll(who.objectId, randomUUID()),
  ],
  [
    'the wrong audience',
    /audience mismatch/,
    (id) => responseTo(id, who, { audience: 'https://another-service.example/' }).xml,
  ],
  [
    'the wrong issuer',
    /issuer is not the configured/,
    (id) => responseTo(id, who, { idpEntityId: 'https://sts.example.test/another-tenant/' }).xml,
  ],
  [
    'an assertion issued by another identity provider in a response from this one',
    /assertion’s issuer is not the configured/,
    (id) => responseTo(id, who, { assertionIssuer: 'https://sts.example.test/another-tenant/' }).xml,
  ],
  [
    'the wrong Destination',
    /Destination is not this service/,
    (id) => responseTo(id, who, { callbackUrl: 'https://elsewhere.example/acs' }).xml,
  ],
  [
    'an expired assertion',
    /No valid subject confirmation|expired/,
    (id) => responseTo(id, who, { issuedAt: minutes(-10), validForSeconds: 300 }).xml,
  ],
  ['an assertion not valid yet', /not yet valid/, (id) => responseTo(id, who, { issuedAt: minutes(5) }).xml],
  ['an unknown InResponseTo', /InResponseTo is not valid/, () => responseTo(newId(), who).xml],
  [
    'a signature by a certificate not configured',
    /Invalid document signature/,
    (id) => responseTo(id, who, { signingKey: signingKey('other') }).xml,
  ],
  [
    'SHA-1 signatures and digests',
    /SHA-256 or stronger/,
    (id) => responseTo(id, who, { algorithm: 'sha1' }).xml,
  ],
  [
    'a non-Success status with a signed assertion',
    /status is not Success/,
    (id) => responseTo(id, who, { status: 'urn:oasis:names:tc:SAML:2.0:status:Requester' }).xml,
  ],
  ['no Conditions', /no Conditions/, (id) => responseTo(id, who, { withoutConditions: true }).xml],
  [
    'a comment inside the NameID',
    /XML comment/,
    (id) =>
      responseTo(id, who).xml.replace(
        `>${who.objectId}<`,
        `>${who.objectId.slice(0, 8)}<!---->${who.objectId.slice(8)}<`,
      ),
  ],
  [
    'a processing instruction inside the NameID',
    /processing instruction/,
    (id) =>
      responseTo(id, who).xml.replace(
        `>${who.objectId}<`,
        `>${who.objectId.slice(0, 8)}<?x y?>${who.objectId.slice(8)}<`,
      ),
  ],
  [
    'a second, unsigned assertion after the signed one',
    /exactly one assertion/,
    (id) => responseTo(id, who).xml.replace('</samlp:Response>', `${EVIL}</samlp:Response>`),
  ],
  [
    'a second, unsigned assertion before the signed one',
    /exactly one assertion/,
    (id) => {
      const { xml } = responseTo(id, who);
      return xml.replace(signedAssertion(xml), EVIL + signedAssertion(xml));
    },
  ],
  [
    'an unsigned assertion wrapping the signed one',
    /exactly one assertion/,
    (id) => {
      const { xml } = responseTo(id, who);
      return xml.replace(
        signedAssertion(xml),
        EVIL.replace('</saml:Assertion>', `${signedAssertion(xml)}</saml:Assertion>`),
      );
    },
  ],
  [
    'the signed assertion moved into Extensions',
    /exactly one assertion/,
    (id) => {
      const { xml } = responseTo(id, who);
      return xml.replace(
        signedAssertion(xml),
        `<samlp:Extensions>${signedAssertion(xml)}</samlp:Extensions>${EVIL}`,
      );
    },
  ],
  [
    'an unsigned response re-signed by another key',
    /Invalid document signature/,
    (id) => {
      const { xml, id: responseId } = responseTo(id, who, { sign: { response: false, assertion: true } });
      return signElement(xml, responseId, signingKey('other'));
    },
  ],
];

describe('single sign-on refuses', () => {
  it.each(FORGERIES)('%s: 401, an audit-log event, no session', (_name, reason, forge) =>
    expectForgeryRefused(ctx.app, ctx.db.knex, forge, reason),
  );

  it('an InResponseTo already answered, and the same assertion posted twice', async () => {
    const agent = request.agent(ctx.app);
    const { requestId } = await startSignIn(agent);
    const { xml } = responseTo(requestId, who);
    await postResponse(agent, xml).expect(302);
    const again = request.agent(ctx.app);
    await postResponse(again, xml).expect(401);
    await postResponse(again, responseTo(requestId, who).xml).expect(401);
    expect(await signedIn(again)).toBe(false);
  });

  it('logs no personal data with a refusal', async () => {
    const agent = request.agent(ctx.app);
    const { requestId } = await startSignIn(agent);
    await postResponse(
      agent,
      responseTo(requestId, who, { idpEntityId: 'https://evil.example/' }).xml,
    ).expect(401);
    const event = await latestEvent(ctx.db.knex, 'user.sign_in_refused');
    expect(JSON.stringify(event.summary)).not.toContain(who.email);
    expect(JSON.stringify(event.summary)).not.toContain(who.objectId);
  });

  it('refuses a development sign-in without a CSRF token: it does not exist', async () => {
    await request(ctx.app)
      .post('/sign-in')
      .type('form')
      .send({ userId: '1' })
      .expect((res) => {
        expect([403, 404]).toContain(res.status);
      });
    const page = await request(ctx.app).get('/sign-in').expect(200);
    expect(page.text).toContain('Sign in with your council account');
    expect(page.text).not.toContain('Which demo user are you?');
  });

  it('publishes its metadata with its entity id and assertion consumer', async () => {
    const res = await request(ctx.app).get('/auth/saml/metadata').expect(200);
    expect(res.headers['content-type']).toContain('application/samlmetadata+xml');
    expect(res.text).toContain(`Location="${CALLBACK}"`);
    expect(res.text).toContain('WantAssertionsSigned="true"');
  });
});
