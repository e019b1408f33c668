import { inflateRawSync } from 'node:zlib';
import request from 'supertest';
import { createTestContext, csrfTokenIn, type TestContext } from '../support/app';
import { postResponse, responseTo, samlEnv, startSignIn } from '../support/saml';

/**
 * Signing out of single sign-on: the Case Audit session ends, and when the identity provider has a
 * sign-out address the browser is sent on to end that session too (which the Content-Security-Policy's
 * form-action allows); the identity provider's answer brings the browser back to the sign-in page.
 */
const SLO = 'https://login.example.test/saml2/logout';
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { ...samlEnv(), SAML_IDP_SLO_URL: SLO } });
}, 60_000);
afterAll(() => ctx.close());

it('ends the session here and sends the browser on to end the identity provider’s', async () => {
  const agent = request.agent(ctx.app);
  const { requestId } = await startSignIn(agent);
  const person = {
    objectId: 'b7d6c1e2-0000-4000-a000-000000000001',
    email: 'pat@council.example',
    name: 'Pat Lee',
    roles: ['CaseAudit.Auditor'],
  };
  await postResponse(agent, responseTo(requestId, person).xml).expect(302);
  const home = await agent.get('/').expect(200);
  expect(home.headers['content-security-policy']).toContain("form-action 'self' https://login.example.test");

  const out = await agent
    .post('/sign-out')
    .type('form')
    .send({ _csrf: csrfTokenIn(home.text) })
    .expect(302);
  const location = new URL(out.headers.location as string);
  expect(`${location.origin}${location.pathname}`).toBe(SLO);
  const logoutRequest = inflateRawSync(
    Buffer.from(location.searchParams.get('SAMLRequest') ?? '', 'base64'),
  ).toString('utf8');
  expect(logoutRequest).toContain('LogoutRequest');
  expect(logoutRequest).toContain(person.objectId);
  expect((await agent.get('/')).headers.location).toMatch(/^\/sign-in/);

  // The identity provider's answer (here one that cannot be verified) still lands on the sign-in page.
  const back = await agent.get('/auth/saml/logout/callback?SAMLResponse=bm90IGEgcmVzcG9uc2U%3D').expect(302);
  expect(back.headers.location).toBe('/sign-in');
  const signInPage = await agent.get('/sign-in').expect(200);
  expect(signInPage.text).toContain('You have signed out');
});
