/// <reference lib="dom" />
import { DEMO } from '../support/app';
import { checkPage, describeInBrowser, useBrowserApp, watchForPageErrors } from '../support/browser';

describeInBrowser('notifications', () => {
  const app = useBrowserApp({ activity: true });

  it('a team manager chooses a daily digest from the link beside their name', async () => {
    const page = await app.signedInPage(DEMO.teamManagerOnly);
    const errors = watchForPageErrors(page);
    await page.getByRole('link', { name: 'Notification settings' }).click();
    await checkPage(page);
    expect(await page.getByLabel('An email for each notification').isChecked()).toBe(true);
    await page.getByLabel('One email a day').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(`${app.url}/account/notifications`);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'one email each working day at 7am',
    );
    expect(await page.getByLabel('One email a day').isChecked()).toBe(true);
    await checkPage(page);
    expect(errors).toEqual([]);
  });

  it('an admin reads the emails the demo wrote in the outbox', async () => {
    const page = await app.signedInPage(DEMO.admin);
    const errors = watchForPageErrors(page);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Outbox' }).click();
    await checkPage(page);
    await page
      .getByRole('link', { name: 'Overdue remediation escalated to you: Family Safeguarding South 1' })
      .click();
    await expect(page.locator('pre').textContent()).resolves.toContain(
      'has been escalated to you as head of service',
    );
    await checkPage(page);
    expect(errors).toEqual([]);
  });
});
