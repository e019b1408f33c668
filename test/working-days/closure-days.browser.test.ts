/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { londonDate, longDate } from '../../src/dates';
import { addWorkingDays, isWeekend } from '../../src/working-days/arithmetic';
import { bankHolidays } from '../../src/working-days/holidays';
import { DEMO } from '../support/app';
import { checkPage, describeInBrowser, useBrowserApp, watchForPageErrors } from '../support/browser';

async function fillDate(page: Page, day: string): Promise<void> {
  const [year, month, date] = day.split('-').map(Number);
  await page.getByLabel('Day').fill(String(date));
  await page.getByLabel('Month').fill(String(month));
  await page.getByLabel('Year').fill(String(year));
}

describeInBrowser('council closure days', () => {
  const app = useBrowserApp();
  const year = Number(londonDate().slice(0, 4));
  const closureDay = addWorkingDays(londonDate(30), 0, bankHolidays(year, year + 1));
  let saturday = 1;
  while (!isWeekend(londonDate(saturday))) saturday += 1;

  it('an admin adds one, after being told what is wrong, and removes it', async () => {
    const page = await app.signedInPage(DEMO.admin);
    const errors = watchForPageErrors(page);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Council closure days' }).click();
    await checkPage(page);

    await page.getByRole('button', { name: 'Add a closure day' }).click();
    await checkPage(page);
    await fillDate(page, londonDate(saturday));
    await page.getByRole('button', { name: 'Add the closure day' }).click();
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    expect(await page.title()).toBe('Error: Add a closure day – Case Audit');
    const summary = await page.locator('.govuk-error-summary').textContent();
    expect(summary).toContain('The date must be a weekday');
    expect(summary).toContain('Enter why the council is closed');
    await checkPage(page);

    await fillDate(page, closureDay);
    await page.getByLabel('Reason').fill('Christmas shutdown');
    await page.getByRole('button', { name: 'Add the closure day' }).click();
    await page.waitForURL(`${app.url}/admin/closure-days`);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      `${longDate(closureDay)} is a closure day`,
    );
    await expect(page.locator('tbody th').first().textContent()).resolves.toBe(longDate(closureDay));
    await checkPage(page);

    await page.getByRole('button', { name: `Remove ${longDate(closureDay)}` }).click();
    await page.waitForURL(`${app.url}/admin/closure-days`);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      `${longDate(closureDay)} is no longer a closure day`,
    );
    await page.getByRole('link', { name: 'Closure days added and removed' }).click();
    const sentences = await page.locator('tbody td p').allTextContents();
    expect(sentences).toEqual([
      `Sam Patel removed the council closure day ${longDate(closureDay)}: it is a working day again`,
      `Sam Patel added the council closure day ${longDate(closureDay)} (Christmas shutdown)`,
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
