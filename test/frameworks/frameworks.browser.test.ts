/// <reference lib="dom" />
import { DEMO } from '../support/app';
import { describeInBrowser, expectAccessible, useBrowserApp, watchForPageErrors } from '../support/browser';
import { sampleFramework } from '../support/frameworks';

describeInBrowser('frameworks', () => {
  const app = useBrowserApp({ frameworks: true });

  it('lists and previews every shipped framework accessibly', async () => {
    const page = await app.signedInPage(DEMO.auditor);
    const errors = watchForPageErrors(page);
    await page.getByRole('link', { name: 'Frameworks' }).click();
    await expectAccessible(page);
    const links = await page
      .locator('tbody th a')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links).toHaveLength(4);
    for (const link of links) {
      await page.goto(link);
      await expectAccessible(page);
      await page.locator('.govuk-details__summary').first().click();
      await expectAccessible(page);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('uploads a framework, showing problems in the GOV.UK error pattern, then loads the corrected file', async () => {
    const page = await app.signedInPage(DEMO.admin);
    const errors = watchForPageErrors(page);
    await page.goto(`${app.url}/frameworks`);
    await page.getByRole('button', { name: 'Upload a framework' }).click();
    await expectAccessible(page);

    const broken = { ...sampleFramework(), id: 'browser-test', caseTypes: [], jurisdiction: 'mars' };
    await page.setInputFiles('#file', {
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(broken)),
    });
    await page.getByRole('button', { name: 'Check and load' }).click();
    expect(await page.title()).toBe('Error: Upload a framework – Case Audit');
    // GOV.UK Frontend's script moves the focus once it has loaded, which may be after the page is shown.
    await page.waitForFunction(() => document.activeElement?.classList.contains('govuk-error-summary'));
    expect(await page.locator('tbody tr').count()).toBe(2);
    await expectAccessible(page);

    const fixed = { ...sampleFramework(), id: 'browser-test' };
    await page.setInputFiles('#file', {
      name: 'fixed.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(fixed)),
    });
    await page.getByRole('button', { name: 'Check and load' }).click();
    await page.waitForURL(`${app.url}/frameworks/browser-test/versions/1.0.0`);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'Sample audit version 1.0.0 is loaded.',
    );
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
