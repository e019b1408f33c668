/// <reference lib="dom" />
import { DEMO } from '../support/app';
import { roundForAuditor } from '../support/audits';
import { describeInBrowser, expectAccessible, useBrowserApp, watchForPageErrors } from '../support/browser';
import { CONSTRUCTS_DOCUMENT, loadConstructsFramework } from './constructs-framework';

describeInBrowser('an audit of a framework with the newer constructs', () => {
  const app = useBrowserApp({ frameworks: true });
  let auditId: number;
  beforeAll(async () => {
    await loadConstructsFramework(app.ctx.services);
    ({
      auditIds: [auditId = 0],
    } = await roundForAuditor(app.ctx.services, {
      framework: { id: CONSTRUCTS_DOCUMENT.id, version: CONSTRUCTS_DOCUMENT.version },
      moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
    }));
  });

  it('marks a section not applicable, fills an evidence box and submits, accessibly', async () => {
    const page = await app.signedInPage(DEMO.auditor);
    page.setDefaultTimeout(10_000);
    const errors = watchForPageErrors(page);
    const base = `${app.url}/audits/${auditId}`;

    await page.goto(base);
    await page.getByText('Read the last 12 months of the record; judge the last 6 months.').waitFor();
    await page.getByText('This version takes effect on 1 January 2027.').waitFor();
    await expectAccessible(page);

    // Visits: does not apply, with why.
    await page.goto(`${base}/sections/visits`);
    await page.getByLabel('This section does not apply').check();
    await page.getByLabel('Why does this section not apply?').fill('No visits were due in the period.');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save and return to the task list' }).click();
    await page.getByRole('heading', { name: /Audit of case/ }).waitFor();

    // Care planning applies only to children in care aged 10 or more: answered when it does.
    await page.goto(`${base}/sections/care`);
    if ((await page.getByText('Does not apply').count()) === 0) {
      await page.getByRole('group', { name: 'Is there a care plan?' }).getByLabel('Yes').check();
      await page
        .getByRole('group', { name: /Grade for care planning/ })
        .getByLabel('Good', { exact: true })
        .check();
      await page.getByRole('button', { name: 'Save and return to the task list' }).click();
    }

    // Practice, with its parts on the same page: an evidence box under an answer.
    await page.goto(`${base}/sections/practice`);
    await page.getByRole('heading', { name: '3a Assessment' }).waitFor();
    await page.getByText('The section’s grade can be no better than its lowest part.').waitFor();
    await page.getByRole('group', { name: 'Were the police involved?' }).getByLabel('No').check();
    await page.getByRole('group', { name: 'Assessed on time?' }).getByLabel('Yes').check();
    await page.getByLabel('Comments / evidence').fill('Assessment completed on day 30, case note 12.');
    await page
      .getByRole('group', { name: /Grade for 3a assessment/ })
      .getByLabel(/^Requires improvement/)
      .check();
    await page
      .getByRole('group', { name: /Grade for practice/ })
      .getByLabel(/^Requires improvement/)
      .check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save and return to the task list' }).click();
    await page.getByRole('heading', { name: /Audit of case/ }).waitFor();
    await expectAccessible(page);

    await page.goto(`${base}/check`);
    await page.getByRole('heading', { name: 'Check your audit before submitting it' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Submit audit' }).click();
    await page
      .getByText(/submitted/)
      .first()
      .waitFor();
    await expectAccessible(page);

    const revision = await app.ctx.db
      .knex('audit_revision')
      .where({ audit_id: auditId, status: 'submitted' })
      .first();
    expect(revision.response.sections.visits).toEqual({
      notApplicable: { reason: 'No visits were due in the period.' },
    });
    expect(revision.response.sections['practice-a'].evidence).toEqual({
      assessed: 'Assessment completed on day 30, case note 12.',
    });
    expect(errors).toEqual([]);
  }, 240_000);
});
