/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { DEMO } from '../support/app';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import type { User } from '../../src/users/user';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { describeInBrowser, expectAccessible, useBrowserApp, watchForPageErrors } from '../support/browser';

describeInBrowser('safeguarding escalations', () => {
  const app = useBrowserApp({ frameworks: true });
  const auditOn = new Map<string, number>();
  beforeAll(async () => {
    const { auditIds } = await roundForAuditor(app.ctx.services, { name: 'Escalation round' });
    const rows: { id: number; name: string }[] = await app.ctx.db
      .knex('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('team as t', 't.id', 'c.team_id')
      .whereIn('a.id', auditIds)
      .select('a.id', 't.name');
    for (const row of rows) auditOn.set(row.name, row.id);
    // A submitted inadequate audit, for the team page, the Cases list and the home page's list.
    const { services } = app.ctx;
    const auditor = (await services.users.findByEmail(DEMO.auditor)) as User;
    const { framework } = await services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
    await services.audits.submit(
      auditOn.get('Assessment North') as number,
      { version: 0, response: completeResponse(framework, () => 3) },
      auditor,
      { ...SYSTEM_ACTOR, userId: auditor.id },
    );
  });

  /** Accessible, and no sideways scrolling at 320 px outside the scrollable table regions. */
  async function check(page: Page): Promise<void> {
    await expectAccessible(page);
    await page.setViewportSize({ width: 320, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect({ url: page.url(), overflow: overflow > 320 }).toEqual({ url: page.url(), overflow: false });
  }

  async function raiseConcern(team: string, details: string): Promise<Page> {
    const page = await app.signedInPage(DEMO.auditor);
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.url}/audits/${auditOn.get(team)}`);
    await page.getByRole('link', { name: 'Raise an immediate safeguarding concern' }).click();
    await page.getByLabel('What is the concern, and what have you done so far?').fill(details);
    await page.getByRole('button', { name: 'Raise the concern now' }).click();
    await page.getByText(/Safeguarding concern recorded/).waitFor();
    await check(page);
    return page;
  }

  /** Signs in, follows the home page's count to the concern and says "I have seen this". */
  async function acknowledgeFromHome(email: string, details: string): Promise<void> {
    const page = await app.signedInPage(email);
    page.setDefaultTimeout(10_000);
    const errors = watchForPageErrors(page);
    await check(page);
    await page.getByRole('link', { name: /^1 immediate safeguarding concern$/ }).click();
    await page.getByRole('heading', { name: 'To acknowledge' }).waitFor();
    await check(page);
    await page.getByRole('link', { name: /read the concern/ }).click();
    await page.getByText(details).waitFor();
    await check(page);
    await page.getByRole('button', { name: 'I have seen this' }).click();
    await page.getByText(/You have said you have seen the safeguarding concern/).waitFor();
    await check(page);
    await page.getByRole('link', { name: 'Home', exact: true }).click();
    await page.getByText('No safeguarding concern waits for you to acknowledge.').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  }

  it('reaches the team manager and head of service, who see it on their home pages and acknowledge it', async () => {
    const details = 'Unexplained bruising on the baby; spoke to the team manager at 10:15.';
    const auditor = await raiseConcern('Family Safeguarding South 1', details);
    await auditor
      .getByText(
        'sent to Hassan Campbell (team manager of Family Safeguarding South 1) and Fiona Gallagher (head of service for Safeguarding and Family Support)',
        { exact: false },
      )
      .waitFor();
    expect(await auditor.locator('.govuk-notification-banner--success').count()).toBe(1);
    await auditor.context().close();
    await acknowledgeFromHome(DEMO.teamManagerOnly, details);
    await acknowledgeFromHome(DEMO.headOfService, details);
  }, 180_000);

  it('puts a concern that reached nobody on Needs attention, where an admin routes it to a team manager, who then sees it', async () => {
    const details = 'Child sleeping in a car after a placement breakdown; duty desk told at 14:05.';
    const auditor = await raiseConcern('Children in Care North', details);
    await auditor.getByText(/Nobody is team manager of Children in Care North/).waitFor();
    expect(await auditor.locator('.govuk-notification-banner--success').count()).toBe(0);
    await auditor.context().close();

    const admin = await app.signedInPage(DEMO.admin);
    admin.setDefaultTimeout(10_000);
    const errors = watchForPageErrors(admin);
    await check(admin);
    await admin.getByRole('link', { name: /safeguarding concerns have reached nobody/ }).click();
    await admin.getByRole('heading', { name: 'Needs attention' }).waitFor();
    await check(admin);
    await admin
      .getByRole('link', {
        name: /Choose who receives it\W+case \w+, team manager of Children in Care North/,
      })
      .click();
    await check(admin);
    await admin.getByRole('button', { name: 'Send the concern to them' }).click();
    await admin.locator('.govuk-error-summary').waitFor();
    await check(admin);
    await admin.getByLabel('Harry Chen').check();
    await admin.getByRole('button', { name: 'Send the concern to them' }).click();
    await admin.getByText(/has been sent to Harry Chen/).waitFor();
    await check(admin);
    await admin.getByRole('link', { name: 'Escalations', exact: true }).click();
    await admin.getByRole('heading', { name: 'All escalations' }).waitFor();
    await check(admin);
    expect(errors).toEqual([]);
    await admin.context().close();

    await acknowledgeFromHome(DEMO.teamManager, details);
  }, 180_000);

  it('shows a team manager their team’s submitted audits and each case’s audit status, accessibly', async () => {
    const page = await app.signedInPage(DEMO.teamManager);
    page.setDefaultTimeout(10_000);
    await page.getByRole('heading', { name: 'Inadequate this month' }).waitFor();
    expect(await page.locator('#inadequate-this-month tbody tr').count()).toBe(1);
    await check(page);
    await page.getByRole('link', { name: 'Assessment North' }).first().click();
    await page.getByRole('heading', { name: 'Submitted audits' }).waitFor();
    expect(await page.locator('#submitted-audits tbody tr').count()).toBe(1);
    await check(page);
    await page.getByRole('link', { name: 'Cases', exact: true }).click();
    await page.getByRole('columnheader', { name: 'Audit' }).waitFor();
    await check(page);
    await page.getByRole('link', { name: /^Submitted\W+audit of case/ }).click();
    await page.getByRole('heading', { name: /Audit of case/ }).waitFor();
    await page.context().close();
  }, 60_000);
});
