/// <reference lib="dom" />
import { DEMO } from '../support/app';
import {
  describeInBrowser,
  expectAccessible,
  newPage,
  useBrowserApp,
  watchForPageErrors,
} from '../support/browser';

const NAVIGATION: Record<keyof typeof DEMO, string[]> = {
  admin: [
    'Home',
    'Escalations',
    'Actions',
    'Teams',
    'Cases',
    'Audit rounds',
    'Frameworks',
    'Reports',
    'Admin',
  ],
  auditor: ['Home', 'My audits', 'Actions', 'Frameworks'],
  moderator: ['Home', 'My audits', 'Moderation', 'Actions', 'Frameworks'],
  teamManager: [
    'Home',
    'My audits',
    'Escalations',
    'Actions',
    'Teams',
    'Cases',
    'Audit rounds',
    'Frameworks',
    'Reports',
  ],
  teamManagerOnly: [
    'Home',
    'Escalations',
    'Actions',
    'Teams',
    'Cases',
    'Audit rounds',
    'Frameworks',
    'Reports',
  ],
  headOfService: [
    'Home',
    'Moderation',
    'Escalations',
    'Actions',
    'Teams',
    'Cases',
    'Audit rounds',
    'Frameworks',
    'Reports',
  ],
  director: ['Home', 'Reports'],
};

describeInBrowser('signing in and finding your way', () => {
  const app = useBrowserApp();

  it('explains a missing choice with an error summary that links to the field', async () => {
    const page = await newPage(app.browser);
    const errors = watchForPageErrors(page);
    await page.goto(`${app.url}/sign-in`);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.title()).toBe('Error: Sign in – Case Audit');
    const summaryLink = page.locator('.govuk-error-summary a');
    await expect(summaryLink.textContent()).resolves.toBe('Select the user you want to sign in as');
    // GOV.UK Frontend moves focus to the summary, so screen readers announce it: once its script has
    // loaded, which may be after the page is shown.
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    await expectAccessible(page);
    await summaryLink.click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('userId');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('starts with a skip link that takes keyboard users to the content', async () => {
    const page = await newPage(app.browser);
    await page.goto(`${app.url}/sign-in`);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe(
      'Skip to main content',
    );
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main-content');
    await page.context().close();
  });

  for (const who of Object.keys(NAVIGATION) as (keyof typeof DEMO)[]) {
    it(`shows ${who} their own navigation, and every page they can reach passes axe`, async () => {
      const page = await app.signedInPage(DEMO[who]);
      const errors = watchForPageErrors(page);
      const links = page.locator('.govuk-service-navigation__link');
      expect((await links.allTextContents()).map((t) => t.trim())).toEqual(NAVIGATION[who]);
      // GOV.UK Frontend's JavaScript ran under the Content Security Policy.
      expect(await page.locator('body.govuk-frontend-supported').count()).toBe(1);
      await page.waitForSelector('[data-govuk-service-navigation-init]', {
        state: 'attached',
        timeout: 5000,
      });

      for (const text of NAVIGATION[who]) {
        await page.locator('.govuk-service-navigation__link', { hasText: text }).click();
        await page.waitForLoadState('load');
        await expect(page.locator('[aria-current="page"]').textContent()).resolves.toContain(text);
        await expectAccessible(page);
      }
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${app.url}/sign-in`);
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'You have signed out.',
      );
      expect(errors).toEqual([]);
      await page.context().close();
    }, 90_000);
  }

  it('renders the admin pages, a team and the static pages accessibly', async () => {
    const page = await app.signedInPage(DEMO.admin);
    const team = await app.ctx.db.knex('team').where({ code: 'family-safeguarding-north-1' }).first();
    for (const path of [
      '/admin/users',
      '/admin/audit-log',
      `/teams/${team.id}`,
      '/accessibility',
      '/privacy',
      '/no-such-page',
    ]) {
      await page.goto(`${app.url}${path}`);
      await expectAccessible(page);
    }
    await page.context().close();
  });
});
