/// <reference lib="dom" />
import { DEMO } from '../support/app';
import { PREFILLED_FRAMEWORK, roundForAuditor } from '../support/audits';
import { describeInBrowser, expectAccessible, useBrowserApp, watchForPageErrors } from '../support/browser';

describeInBrowser('the case profile, pre-filled from the case list', () => {
  const app = useBrowserApp({ frameworks: true });
  let auditId: number;
  beforeAll(async () => {
    const { auditIds } = await roundForAuditor(app.ctx.services, {
      name: 'Pre-filled in a browser',
      framework: PREFILLED_FRAMEWORK,
    });
    const rows: { id: number; caseType: string }[] = await app.ctx.db
      .knex('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .whereIn('a.id', auditIds)
      .select('a.id', 'c.case_type as caseType');
    auditId = rows.find((r) => r.caseType === 'child-in-need')?.id ?? 0;
  });

  it('shows the import, warns of a difference and takes its confirmation, accessibly', async () => {
    const page = await app.signedInPage(DEMO.auditor);
    page.setDefaultTimeout(10_000);
    const errors = watchForPageErrors(page);
    await page.goto(`${app.url}/audits/${auditId}/sections/case-profile`);
    const caseType = page.getByRole('group', { name: 'Case type at the time of audit' });
    await expect(caseType.getByLabel('Child in need', { exact: true }).isChecked()).resolves.toBe(true);
    await expectAccessible(page);

    await caseType.getByLabel('Child protection', { exact: true }).check();
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await page.getByText('Your answer differs from the case list, which says: Child in need.').waitFor();
    await expectAccessible(page);

    // The summary's link goes to the confirmation; ticking it reveals where to say why.
    await page.locator('.govuk-error-summary a[href="#confirm-prof-case-type"]').click();
    await page.getByLabel('I have checked the case record: it differs from the case list').check();
    await page
      .getByLabel('Why does the case record differ from the case list?')
      .fill('A plan was made at conference after the list was exported.');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForURL(/\/sections\/help-and-protection$/);
    const row = await app.ctx.db.knex('audit_revision').where({ audit_id: auditId }).first();
    expect(row.response.sections['case-profile'].differences).toEqual({
      'prof-case-type': 'A plan was made at conference after the list was exported.',
    });
    expect(errors).toEqual([]);
  }, 120_000);
});
