import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { demoDirectory, demoMapping, DEMO_TENANT } from '../../src/demo/single-sign-on';
import { createLocalIdp } from '../../src/saml/local-idp/server';
import { createTestContext, DEMO, type TestContext } from '../support/app';
import {
  describeInBrowser,
  expectAccessible,
  launchBrowser,
  newPage,
  watchForPageErrors,
} from '../support/browser';
import { keyFile, samlEnv, signingKey } from '../support/saml';

/**
 * The whole single sign-on journey in a browser: Case Audit in SAML mode and the local test identity
 * provider, each on its own loopback port, the browser redirected from one to the other and back.
 */

/** A server listening before its app exists, so its address can go into the app's configuration. */
async function serverFirst() {
  let handler: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve: (app: http.RequestListener) => {
      handler = app;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describeInBrowser('single sign-on in a browser', () => {
  let ctx: TestContext;
  let browser: Browser;
  let app: Awaited<ReturnType<typeof serverFirst>>;
  let idp: Awaited<ReturnType<typeof serverFirst>>;
  const outsider = {
    objectId: '00000000-0000-4000-a000-000000000001',
    tenantId: DEMO_TENANT,
    email: 'visitor@council.example',
    name: 'Vic Visitor',
    roles: ['Payroll.Reader'],
  };

  beforeAll(async () => {
    [app, idp] = await Promise.all([serverFirst(), serverFirst()]);
    ctx = await createTestContext({
      env: {
        ...samlEnv(demoMapping()),
        PUBLIC_URL: app.url,
        SAML_IDP_ENTITY_ID: `${idp.url}/`,
        SAML_IDP_SSO_URL: `${idp.url}/saml2`,
        SAML_IDP_CERT_FILES: keyFile('idp', 'crt'),
      },
    });
    app.serve(ctx.app);
    idp.serve(
      createLocalIdp({
        entityId: `${idp.url}/`,
        signingKey: signingKey('idp'),
        audience: `${app.url}/auth/saml/metadata`,
        callbackUrl: `${app.url}/auth/saml/callback`,
        directory: [...demoDirectory(), outsider],
      }),
    );
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([app?.close(), idp?.close()]);
    await ctx?.close();
  });

  it('signs the director in through the identity provider and back to the page asked for, then out', async () => {
    const page = await newPage(browser);
    const problems = watchForPageErrors(page);
    await page.goto(`${app.url}/reports`);
    expect(page.url()).toContain('/sign-in?returnTo=%2Freports');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Sign in with your council account' }).click();
    expect(page.url().startsWith(`${idp.url}/saml2?SAMLRequest=`)).toBe(true);
    const director = demoDirectory().find((p) => p.roles.includes('CaseAudit.Director'));
    await page.getByRole('button', { name: `Sign in as ${director?.name}` }).click();
    await page.getByRole('button', { name: 'Continue to Case Audit' }).click();
    await page.waitForURL(`${app.url}/reports`);
    await expect(page.locator('h1').first().textContent()).resolves.toBe('Reports');
    const user = await ctx.services.users.findByEmail(DEMO.director);
    expect(user?.lastSignedInAt).not.toBeNull();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${app.url}/sign-in`);
    await expect(page.getByText('You have signed out.').count()).resolves.toBe(1);
    expect(problems).toEqual([]);
  });

  it('shows someone with no Case Audit role a clear, accessible page and keeps them out', async () => {
    const page = await newPage(browser);
    await page.goto(`${app.url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with your council account' }).click();
    await page.getByRole('button', { name: `Sign in as ${outsider.name}` }).click();
    await page.getByRole('button', { name: 'Continue to Case Audit' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('You do not have access to Case Audit');
    await expectAccessible(page);
    await page.goto(`${app.url}/`);
    expect(page.url()).toContain('/sign-in');
  });
});
