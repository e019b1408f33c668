import request from 'supertest';
import { createTestContext, type TestContext } from '../support/app';
import {
  encryptedResponseTo,
  expectForgeryRefused,
  latestEvent,
  newPerson,
  postResponse,
  responseTo,
  samlEnv,
  signedIn,
  signingKey,
  SP_KEY_ENV,
  startSignIn,
  TENANT,
  type Forgery,
} from '../support/saml';

/**
 * Encrypted assertions, as Entra ID's token encryption and ADFS's encryption certificate send them: the
 * assertion, signed by the identity provider, encrypted to this service's certificate (AES with RSA-OAEP)
 * inside a signed response. Decrypted, it must pass every check a plain assertion passes; anything else
 * is refused with a 401, an audit-log event and no session.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { ...samlEnv(), ...SP_KEY_ENV } });
}, 60_000);
afterAll(() => ctx.close());

describe('encrypted assertions', () => {
  it.each(['aes256-gcm', 'aes256-cbc'] as const)(
    'sign in with the roles their claims grant (%s)',
    async (algorithm) => {
      const agent = request.agent(ctx.app);
      const { requestId } = await startSignIn(agent);
      const sam = newPerson(['CaseAudit.Auditor', 'CaseAudit.Moderator']);
      const { xml } = await encryptedResponseTo(
        requestId,
        sam,
        {},
        { cert: signingKey('sp').cert, algorithm },
      );
      expect(xml).toContain('EncryptedAssertion');
      expect(xml).not.toContain(sam.email);
      await postResponse(agent, xml).expect(302);
      expect(await signedIn(agent)).toBe(true);
      const user = await ctx.db
        .knex('app_user')
        .where({ tenant_id: TENANT, external_subject_id: sam.objectId })
        .first();
      expect(user).toMatchObject({ email: sam.email });
      const roles = await ctx.db.knex('user_role').where('user_id', user.id).pluck('role_code');
      expect(roles.sort()).toEqual(['auditor', 'moderator']);
    },
  );

  it('are still accepted unencrypted unless SAML_REQUIRE_ENCRYPTED_ASSERTIONS is true', async () => {
    const agent = request.agent(ctx.app);
    const { requestId } = await startSignIn(agent);
    await postResponse(agent, responseTo(requestId, newPerson(['CaseAudit.Auditor'])).xml).expect(302);
  });

  it('are offered the service’s certificate for encryption in its metadata', async () => {
    const res = await request(ctx.app).get('/auth/saml/metadata').expect(200);
    const cert = signingKey('sp').cert.replace(/-----[A-Z ]+-----|\s/g, '');
    expect(res.text).toMatch(/<KeyDescriptor use="encryption">/);
    expect(res.text.replace(/\s/g, '')).toContain(cert);
    expect(res.text).toContain('http://www.w3.org/2009/xmlenc11#aes256-gcm');
  });
});

const who = newPerson(['CaseAudit.Admin']);

const FORGERIES: [string, RegExp, Forgery][] = [
  [
    'an encrypted assertion that is not signed itself',
    /signature from encrypted assertion|assertion is not signed/,
    async (id) => (await encryptedResponseTo(id, who, { sign: { response: true, assertion: false } })).xml,
  ],
  [
    'an assertion encrypted for another key',
    /node-saml refused it/,
    async (id) => (await encryptedResponseTo(id, who, {}, { cert: signingKey('other').cert })).xml,
  ],
  [
    'an encrypted assertion issued by another identity provider',
    /assertion’s issuer is not the configured/,
    async (id) =>
      (await encryptedResponseTo(id, who, { assertionIssuer: 'https://sts.example.test/another/' })).xml,
  ],
  [
    'an encrypted assertion without Conditions',
    /node-saml refused it|no Conditions/,
    async (id) => (await encryptedResponseTo(id, who, { withoutConditions: true })).xml,
  ],
  [
    'an encrypted assertion in an unsigned response',
    /response is not signed/,
    async (id) => (await encryptedResponseTo(id, who, { sign: { response: false, assertion: true } })).xml,
  ],
  [
    'RSA PKCS#1 v1.5 key transport, refused before anything is decrypted',
    /not encrypted with AES and RSA-OAEP/,
    async (id) => (await encryptedResponseTo(id, who)).xml.replace('xmlenc#rsa-oaep-mgf1p', 'xmlenc#rsa-1_5'),
  ],
  [
    'Triple DES, refused before anything is decrypted',
    /not encrypted with AES and RSA-OAEP/,
    async (id) =>
      (await encryptedResponseTo(id, who)).xml.replace(
        'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        'http://www.w3.org/2001/04/xmlenc#tripledes-cbc',
      ),
  ],
];

describe('encrypted assertions refused', () => {
  it.each(FORGERIES)('%s: 401, an audit-log event, no session', (_name, reason, forge) =>
    expectForgeryRefused(ctx.app, ctx.db.knex, forge, reason),
  );

  it('the same encrypted response posted twice', async () => {
    const agent = request.agent(ctx.app);
    const { xml } = await encryptedResponseTo((await startSignIn(agent)).requestId, who);
    await postResponse(agent, xml).expect(302);
    const again = request.agent(ctx.app);
    await postResponse(again, xml).expect(401);
    expect(await signedIn(again)).toBe(false);
  });
});

describe('with SAML_REQUIRE_ENCRYPTED_ASSERTIONS=true', () => {
  let strict: TestContext;
  beforeAll(async () => {
    strict = await createTestContext({
      env: { ...samlEnv(), ...SP_KEY_ENV, SAML_REQUIRE_ENCRYPTED_ASSERTIONS: 'true' },
    });
  }, 60_000);
  afterAll(() => strict.close());

  it('refuses a plain assertion and accepts an encrypted one', async () => {
    const agent = request.agent(strict.app);
    await postResponse(agent, responseTo((await startSignIn(agent)).requestId, who).xml).expect(401);
    expect(await signedIn(agent)).toBe(false);
    expect((await latestEvent(strict.db.knex, 'user.sign_in_refused')).summary.reason).toMatch(
      /assertion is not encrypted/,
    );
    const { xml } = await encryptedResponseTo((await startSignIn(agent)).requestId, who);
    await postResponse(agent, xml).expect(302);
    expect(await signedIn(agent)).toBe(true);
  });
});
