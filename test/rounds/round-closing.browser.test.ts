/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import { DEMO } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { describeInBrowser, expectAccessible, useBrowserApp, watchForPageErrors } from '../support/browser';

describeInBrowser('closing an audit round', () => {
  const app = useBrowserApp({ frameworks: true });

  /** A round of a few audits for Aisha Khan, one of them submitted. */
  async function aRound(name: string): Promise<number> {
    const { roundId, auditIds } = await roundForAuditor(app.ctx.services, { name, cases: 40 });
    const aisha = await app.ctx.services.users.findByEmail(DEMO.auditor);
    const { framework } = await app.ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
    await app.ctx.services.audits.submit(
      auditIds[0] as number,
      { version: 0, response: completeResponse(framework, () => 1) },
      aisha!,
      SYSTEM_ACTOR,
    );
    return roundId;
  }

  /** Opens the round from the rounds list, closes it cancelling what is left, checking each page. */
  async function closeWithCancel(page: Page, name: string, check: (page: Page) => Promise<void>) {
    await page.goto(`${app.url}/rounds`);
    await check(page);
    await page.getByRole('link', { name }).click();
    await page.getByRole('heading', { name: new RegExp(name) }).waitFor();
    await check(page);
    await page.getByRole('button', { name: 'Close this round' }).click();
    await page.getByRole('heading', { name: 'Close this audit round' }).waitFor();
    await check(page);
    // Nothing chosen: the error summary names the question.
    await page.getByRole('button', { name: 'Close the round' }).click();
    await page.getByRole('link', { name: /Choose whether to cancel/ }).waitFor();
    await check(page);
    await page.getByLabel('Cancel them').check();
    await page.getByLabel('Why are they cancelled?').fill('Auditors moved to the neglect themed audit.');
    await page.getByRole('button', { name: 'Close the round' }).click();
    await page.getByText(`${name} is closed.`).waitFor();
    await check(page);
    await expect(page.locator('h1').textContent()).resolves.toContain('Closed');
    await expect(page.locator('#audits').textContent()).resolves.toContain(
      'Auditors moved to the neglect themed audit.',
    );
    await expect(page.getByRole('button', { name: 'Close this round' }).count()).resolves.toBe(0);
  }

  it('an admin closes a round, cancelling its unsubmitted audits with a reason: every page accessible', async () => {
    const name = 'Round closed in the browser';
    await aRound(name);
    const page = await app.signedInPage(DEMO.admin);
    page.setDefaultTimeout(10_000);
    const errors = watchForPageErrors(page);
    await closeWithCancel(page, name, expectAccessible);
    expect(errors).toEqual([]);
  });

  it('works without JavaScript', async () => {
    const name = 'Round closed without JavaScript';
    await aRound(name);
    const context = await app.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Sam Patel', { exact: true }).check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}/`);
    await expect(page.evaluate(() => document.body.className)).resolves.not.toContain('js-enabled');
    await closeWithCancel(page, name, () => Promise.resolve());
    // The auditor's list: the cancelled audits are listed apart, with the reason.
    const auditor = await app.signedInPage(DEMO.auditor);
    await auditor.goto(`${app.url}/my-audits`);
    await expect(auditor.locator('#cancelled').textContent()).resolves.toContain(
      'Auditors moved to the neglect themed audit.',
    );
    await expectAccessible(auditor);
    await context.close();
  });
});
