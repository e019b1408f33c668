/// <reference lib="dom" />
import { DEMO } from '../support/app';
import { importNativeCases } from '../support/case-lists';
import { describeInBrowser, expectAccessible, useBrowserApp, watchForPageErrors } from '../support/browser';

describeInBrowser('planning an audit round', () => {
  const app = useBrowserApp({ frameworks: true });
  beforeAll(async () => {
    await importNativeCases(app.ctx.services.cases, 160, 'November cases.csv');
  });

  it('walks the journey one question at a time, accessibly, with a live preview', async () => {
    const page = await app.signedInPage(DEMO.admin);
    page.setDefaultTimeout(10_000);
    const errors = watchForPageErrors(page);
    const next = () => page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('link', { name: 'Audit rounds' }).click();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Plan an audit round' }).click();

    // An empty answer: the error summary takes focus and links to the field.
    await next();
    expect(await page.title()).toBe('Error: What is the audit round called? – Case Audit');
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Enter a name for the audit round' }).click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('name');
    await page.getByLabel('What is the audit round called?').fill('December monthly audit');
    await next();

    await expectAccessible(page);
    await page.getByLabel(/social care case file audit/).check();
    await next();
    await expectAccessible(page);
    await page.getByLabel(/November cases\.csv/).check();
    await next();
    await expectAccessible(page);
    await next(); // the framework's case types
    await expectAccessible(page);
    // The teams are revealed only when "Only some teams" is chosen.
    await expect(page.getByLabel('Assessment North').isVisible()).resolves.toBe(false);
    await page.getByLabel('Only some teams').check();
    await expect(page.getByLabel('Assessment North').isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await page.getByLabel('Every team').check();
    await next();
    await expectAccessible(page);
    await next(); // not themed
    await expectAccessible(page);
    await next(); // the usual exclusions

    // The size page: the preview follows the answer as it is typed, without a button.
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Update the preview' }).waitFor({ state: 'hidden' });
    const preview = page.locator('#round-preview');
    await page.getByLabel('A fixed number in all').check();
    await page.getByLabel('Number of cases').fill('7');
    await page.waitForFunction(() =>
      document.querySelector('#round-preview')?.textContent?.includes('7 cases'),
    );
    await page.getByLabel('A number from each team').check();
    await page.getByLabel('Cases from each team').fill('3');
    await page.waitForFunction(() =>
      document.querySelector('#round-preview')?.textContent?.includes('12 cases'),
    );
    await expect(preview.locator('tbody tr').first().textContent()).resolves.toContain('3');
    // A screen reader hears only the short summary: the panel itself is outside the live region.
    await page.waitForFunction(() =>
      document
        .querySelector('#round-preview-status')
        ?.textContent?.startsWith('Preview updated: 12 audits, 3 per team'),
    );
    const live = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[aria-live], [role="status"], [role="alert"], [role="log"]')).map(
        (e) => `${e.id}: ${e.textContent ?? ''}`,
      ),
    );
    expect(live).toEqual([
      expect.stringMatching(
        /^round-preview-status: Preview updated: 12 audits, 3 per team(, \d+ teams? gets? none)?$/,
      ),
    ]);
    await expect(
      page.evaluate(() => document.querySelector('#round-preview')?.closest('[aria-live]') ?? null),
    ).resolves.toBeNull();
    await expectAccessible(page);
    await next();

    await expectAccessible(page);
    await next(); // every auditor, an even share
    await expectAccessible(page);
    await page.getByLabel('Day').fill('31');
    await page.getByLabel('Month').fill('1');
    await page.getByLabel('Year').fill('2099');
    await next();

    expect(await page.title()).toBe('Check the plan before creating the round – Case Audit');
    await expectAccessible(page);
    await expect(page.locator('.govuk-summary-list').first().textContent()).resolves.toContain('3 per team');
    await page.getByRole('button', { name: 'Create the round' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'December monthly audit was created with 12 audits',
    );
    await expectAccessible(page);
    await page
      .getByRole('link', { name: /^Reallocate/ })
      .first()
      .click();
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows auditors their audits', async () => {
    const page = await app.signedInPage(DEMO.auditor);
    page.setDefaultTimeout(10_000);
    await page.getByRole('link', { name: 'My audits' }).click();
    await expect(page.locator('table caption').textContent()).resolves.toMatch(/\d+ audits? to do/);
    await expectAccessible(page);
    await page.context().close();
  });
});
