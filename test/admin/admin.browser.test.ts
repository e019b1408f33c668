/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { DEMO } from '../support/app';
import { describeInBrowser, expectAccessible, useBrowserApp, watchForPageErrors } from '../support/browser';

/** Checks the page with axe at desktop width and at 320 px, where only a table's region may scroll sideways. */
async function expectAccessibleAtBothWidths(page: Page): Promise<void> {
  await expectAccessible(page);
  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect([page.url(), overflow]).toEqual([page.url(), 0]);
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describeInBrowser('administration', () => {
  const app = useBrowserApp();

  it('adds a user, changes their roles, and deactivates them, all in the audit log', async () => {
    const page = await app.signedInPage(DEMO.admin);
    const errors = watchForPageErrors(page);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Users and roles' }).click();
    await expectAccessibleAtBothWidths(page);

    await page.getByRole('button', { name: 'Add a user' }).click();
    await page.getByRole('button', { name: 'Add the user' }).click();
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    expect(await page.title()).toBe('Error: Add a user – Case Audit');
    await expectAccessibleAtBothWidths(page);

    await page.getByLabel('Full name').fill('Nadia Browser');
    await page.getByLabel('Work email address').fill('nadia.browser@demoshire.example');
    await page.getByLabel('Auditor', { exact: true }).check();
    await page.getByRole('button', { name: 'Add the user' }).click();
    await page.waitForURL(/\/admin\/users\/\d+$/);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'Nadia Browser has been added.',
    );
    await expectAccessibleAtBothWidths(page);

    await page.getByRole('link', { name: 'Change roles' }).click();
    await expectAccessibleAtBothWidths(page);
    await page.getByLabel('Team manager', { exact: true }).check();
    await page.getByLabel('Assessment East', { exact: true }).check();
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.waitForURL(/\/admin\/users\/\d+$/);

    await page.getByRole('button', { name: 'Deactivate Nadia Browser' }).click();
    await expectAccessibleAtBothWidths(page);
    await page.getByRole('button', { name: 'Deactivate Nadia Browser' }).click();
    await page.waitForURL(/\/admin\/users\/\d+$/);
    await expect(page.locator('h1').textContent()).resolves.toContain('Deactivated');

    await page.getByRole('link', { name: 'Changes to Nadia Browser' }).click();
    await expectAccessibleAtBothWidths(page);
    const sentences = await page.locator('tbody td p').allTextContents();
    expect(sentences).toEqual([
      'Sam Patel deactivated Nadia Browser',
      'Sam Patel changed Nadia Browser’s roles and teams managed',
      'Sam Patel added the user Nadia Browser',
    ]);
    await page.locator('.govuk-details__summary').first().click();
    await expect(page.locator('.govuk-details__text pre').first().textContent()).resolves.toContain(
      '"tokensRevoked": 0',
    );
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('adds, renames and closes a team, moving its member of staff first', async () => {
    const page = await app.signedInPage(DEMO.admin);
    const errors = watchForPageErrors(page);
    await page.goto(`${app.url}/admin/teams`);
    await expectAccessibleAtBothWidths(page);
    await page.getByRole('button', { name: 'Add a team' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Browser Team');
    await page.getByLabel('Assessment', { exact: true }).check();
    await page.getByLabel('North', { exact: true }).check();
    await page.getByLabel('No service area').check();
    await page.getByRole('button', { name: 'Add the team' }).click();
    await page.waitForURL(/\/admin\/teams\/\d+$/);
    await expectAccessibleAtBothWidths(page);

    await page.getByRole('button', { name: 'Add a member of staff to Browser Team' }).click();
    await expectAccessibleAtBothWidths(page);
    await page.getByLabel('Name', { exact: true }).fill('Bea Worker');
    await page.getByLabel('Line manager').selectOption({ label: 'Harry Chen, Team Manager' });
    await page.getByRole('button', { name: 'Add them' }).click();
    await page.waitForURL(/\/admin\/teams\/\d+$/);
    await expect(page.locator('tbody').textContent()).resolves.toContain('Bea Worker');

    await page.getByRole('link', { name: 'Change name' }).click();
    await expectAccessibleAtBothWidths(page);
    await page.getByLabel('Name', { exact: true }).fill('Browser Team Renamed');
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.waitForURL(/\/admin\/teams\/\d+$/);

    await page.getByRole('button', { name: 'Close Browser Team Renamed' }).click();
    await expectAccessibleAtBothWidths(page);
    await page.getByRole('link', { name: 'Move Bea Worker' }).click();
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Assessment North' });
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.goto(`${app.url}/admin/teams`);
    await page.getByRole('link', { name: 'Browser Team Renamed' }).click();
    await page.getByRole('button', { name: 'Close Browser Team Renamed' }).click();
    await page.getByRole('button', { name: 'Close Browser Team Renamed' }).click();
    await page.waitForURL(/\/admin\/teams\/\d+$/);
    await expect(page.locator('h1').textContent()).resolves.toContain('Closed');

    await page.getByRole('link', { name: 'Changes to Browser Team Renamed' }).click();
    expect(await page.locator('tbody td p').allTextContents()).toEqual([
      'Sam Patel closed the team Browser Team Renamed',
      'Sam Patel renamed the team Browser Team to Browser Team Renamed',
      'Sam Patel added the team Browser Team Renamed',
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('filters the audit log by dates, with GOV.UK errors for a date that is not real', async () => {
    const page = await app.signedInPage(DEMO.admin);
    const errors = watchForPageErrors(page);
    await page.goto(`${app.url}/admin/audit-log`);
    await expectAccessibleAtBothWidths(page);
    await page.locator('#from-day').fill('31');
    await page.locator('#from-month').fill('2');
    await page.locator('#from-year').fill('2026');
    await page.getByRole('button', { name: 'Apply the filters' }).click();
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'The start date must be a real date',
    );
    await expectAccessibleAtBothWidths(page);
    await page.getByRole('link', { name: 'The start date must be a real date' }).click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('from-day');
    await page.locator('#from-day').fill('1');
    await page.getByLabel('Who').selectOption({ label: 'Sam Patel' });
    await page.getByRole('button', { name: 'Apply the filters' }).click();
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);
    expect(errors.filter((e) => !e.startsWith('400 '))).toEqual([]);
    await page.context().close();
  }, 120_000);
});
