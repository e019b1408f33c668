/// <reference lib="dom" />
import { DEMO } from '../support/app';
import { nativeCsv, nativeRows } from '../support/case-lists';
import { describeInBrowser, expectAccessible, useBrowserApp, watchForPageErrors } from '../support/browser';

describeInBrowser('importing a case list', () => {
  const app = useBrowserApp();

  it('lists every problem of a refused file at once, and never puts the form token in the address', async () => {
    const page = await app.signedInPage(DEMO.admin);
    page.setDefaultTimeout(10_000);
    const errors = watchForPageErrors(page);
    await page.goto(`${app.url}/cases/imports`);
    await page.getByRole('button', { name: 'Import a case list' }).click();
    await expectAccessible(page);

    // No file chosen: the form again, with the error, at its own address.
    await page.getByRole('button', { name: 'Check and import' }).click();
    expect(await page.title()).toBe('Error: Import a case list – Case Audit');
    expect(page.url()).toBe(`${app.url}/cases/imports/new`);
    await expectAccessible(page);

    // A bad row that names an unknown team, and another row naming it: all three problems at once.
    const rows = nativeRows(4, 5000);
    Object.assign(rows[1] as object, { age: 'old', team: 'Nowhere Team' });
    Object.assign(rows[3] as object, { team: 'Nowhere Team' });
    await page.setInputFiles('#file', {
      name: 'november.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(nativeCsv(rows)),
    });
    await page.getByRole('button', { name: 'Check and import' }).click();
    await page.waitForURL(/\/cases\/imports\/\d+$/);
    expect(page.url()).not.toContain('_csrf');
    await expect(page.locator('h1').textContent()).resolves.toBe('Case list refused');
    const problems = await page.locator('#problems tbody tr').allTextContents();
    expect(problems).toHaveLength(3);
    expect(problems.filter((p) => p.includes('Nowhere Team'))).toHaveLength(2);
    expect(problems.filter((p) => p.includes('old'))).toHaveLength(1);
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
