/// <reference lib="dom" />
import { DEMO } from '../support/app';
import { nativeRows, toCsv } from '../support/case-lists';
import { describeInBrowser, expectAccessible, useBrowserApp, watchForPageErrors } from '../support/browser';

/** A native list headed in a council's own words: the case type column cannot be told on its own. */
const HEADERS = ['Person ID', 'Open to (CIN/CP/CLA)', 'Team (current)', 'Allocated SW', 'Age (yrs)'];
const csv = (headers: string[], order: number[]) =>
  toCsv(
    order.map((i) => headers[i] as string),
    nativeRows(4, 7000).map((r) => {
      const cells = [r.case_reference, r.case_type, r.team, r.worker ?? '', r.age ?? ''];
      return order.map((i) => cells[i] as string);
    }),
  );

describeInBrowser('matching the columns of a case list', () => {
  const app = useBrowserApp();

  it('asks for the columns it cannot match, shows the rows as read, imports, and remembers the mapping', async () => {
    const page = await app.signedInPage(DEMO.admin);
    page.setDefaultTimeout(10_000);
    const errors = watchForPageErrors(page);
    const upload = async (data: string) => {
      await page.goto(`${app.url}/cases/imports/new`);
      await page.setInputFiles('#file', {
        name: 'council.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(data),
      });
      await page.getByRole('button', { name: 'Check and import' }).click();
    };

    await upload(csv(HEADERS, [0, 1, 2, 3, 4]));
    await page.waitForURL(/\/cases\/imports\/mapping\/[0-9a-f-]+$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Match the columns');
    await expect(page.locator('#column-0').inputValue()).resolves.toBe('case_reference');
    await expectAccessible(page);

    // Without a name or the case type column: the errors, and nothing imported.
    await page.selectOption('#column-1', '');
    await page.getByRole('button', { name: 'Import with these columns' }).click();
    expect(await page.title()).toMatch(/^Error: /);
    await expectAccessible(page);

    await page.selectOption('#target', 'native');
    await page.selectOption('#column-1', 'case_type');
    await page.fill('#name', 'Council export');
    await page.getByRole('button', { name: 'Show the rows again' }).click();
    const preview = await page.locator('#preview').textContent();
    expect(preview).toContain('case_type');
    expect(preview).toContain('C0007000');
    await page.getByRole('button', { name: 'Import with these columns' }).click();
    await page.waitForURL(/\/cases\/imports\/\d+$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Case list imported');
    const columns = await page.locator('[data-columns-read]').first().textContent();
    expect(columns).toContain('Open to (CIN/CP/CLA)');
    expect(await page.textContent('body')).toContain('“Council export” was saved');
    await expectAccessible(page);

    // The same headers in another order: the saved mapping is used, and said to be.
    await upload(csv(HEADERS, [4, 3, 2, 1, 0]));
    await page.waitForURL(/\/cases\/imports\/\d+$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Case list imported');
    expect(await page.textContent('body')).toContain('saved mapping “Council export” was used');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
