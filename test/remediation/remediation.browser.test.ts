/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import type { User } from '../../src/users/user';
import { DEMO } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { checkPage, describeInBrowser, useBrowserApp, watchForPageErrors } from '../support/browser';

describeInBrowser('remediation of an inadequate audit', () => {
  const app = useBrowserApp({ frameworks: true });
  let caseRef: string;

  // An Assessment North audit (Harry Chen's team) graded inadequate by Aisha Khan: its record is open.
  beforeAll(async () => {
    const { services } = app.ctx;
    const { auditIds } = await roundForAuditor(services, { name: 'Remediation round' });
    const row: { id: number; case_ref: string } = await app.ctx.db
      .knex('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('team as t', 't.id', 'c.team_id')
      .whereIn('a.id', auditIds)
      .where('t.code', 'assessment-north')
      .first('a.id', 'c.case_ref');
    caseRef = row.case_ref;
    const auditor = (await services.users.findByEmail(DEMO.auditor)) as User;
    const { framework } = await services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
    await services.audits.submit(
      row.id,
      { version: 0, response: completeResponse(framework, () => 3) },
      auditor,
      { ...SYSTEM_ACTOR, userId: auditor.id },
    );
  });

  /** Follows the Actions link to the record, listed in the group (its heading and table) it should be in. */
  async function openFromActions(page: Page, group: { id: string; heading: string }): Promise<void> {
    await page.getByRole('link', { name: 'Actions', exact: true }).click();
    await page.getByRole('heading', { name: group.heading }).waitFor();
    await checkPage(page);
    await page
      .locator(`#${group.id}`)
      .getByRole('link', { name: new RegExp(`^${caseRef}\\W+open the record`) })
      .click();
    await page.getByRole('heading', { name: `Case ${caseRef}` }).waitFor();
    await checkPage(page);
  }

  it('the team manager responds and sets an action, sees it through; the auditor verifies it and the record closes', async () => {
    const description = 'Visit the child at home with the family’s new social worker.';

    const harry = await app.signedInPage(DEMO.teamManager);
    harry.setDefaultTimeout(10_000);
    const harryErrors = watchForPageErrors(harry);
    await openFromActions(harry, { id: 'awaiting-response', heading: 'Awaiting a management response' });

    await harry
      .getByLabel('Your response to what the audit found')
      .fill('We have read the audit with the social worker; the plan is being rewritten with the family.');
    await harry.getByRole('button', { name: 'Give the response' }).click();
    await harry.getByText('Your management response has been recorded.').waitFor();
    await checkPage(harry);

    // Nothing entered: the error summary names each field and leads to it.
    await harry.getByRole('button', { name: 'Add the action' }).click();
    await harry.locator('.govuk-error-summary').waitFor();
    expect(await harry.title()).toMatch(/^Error: /);
    const summary = harry.locator('.govuk-error-summary__list a');
    expect(await summary.allInnerTexts()).toEqual([
      'Enter what will be done',
      'Enter the difference this action should make for the child',
      'Choose whether the action changes practice or puts the record right',
      'Choose who owns the action',
    ]);
    for (const href of await summary.evaluateAll((links) => links.map((a) => a.getAttribute('href'))))
      expect(await harry.locator(href as string).count()).toBe(1);
    await checkPage(harry);
    await summary.filter({ hasText: 'Choose who owns the action' }).click();
    await expect(harry.evaluate(() => document.activeElement?.id)).resolves.toBe('ownerPersonId');

    await harry.getByLabel('What will be done').fill(description);
    await harry
      .getByLabel('The difference it should make for the child')
      .fill('The child knows who their social worker is and has said what they want to change.');
    await harry.getByLabel('Practice', { exact: true }).check();
    const owners = await harry
      .locator('#ownerPersonId optgroup[label="Assessment North"] option')
      .allInnerTexts();
    const owner = owners.find((name) => name !== 'Harry Chen') as string;
    await harry.getByLabel('Who owns the action').selectOption({ label: owner });
    await harry.getByRole('button', { name: 'Add the action' }).click();
    await harry.getByText('The action has been added.').waitFor();
    const card = harry.locator('.govuk-summary-card', { hasText: description });
    await expect(card.innerText()).resolves.toContain(owner);
    await checkPage(harry);

    await card.getByRole('button', { name: /^Start/ }).click();
    await harry.getByText('The action is now in progress.').waitFor();
    await checkPage(harry);
    await card
      .getByLabel('Evidence: what was done and where it is recorded (optional)')
      .fill('Visit on 3 March recorded in the case notes.');
    await card.getByRole('button', { name: /^Mark completed/ }).click();
    await harry.getByText('The action is now completed.').waitFor();
    await checkPage(harry);
    expect(harryErrors).toEqual([]);
    await harry.context().close();

    const aisha = await app.signedInPage(DEMO.auditor);
    aisha.setDefaultTimeout(10_000);
    const aishaErrors = watchForPageErrors(aisha);
    await openFromActions(aisha, { id: 'to-verify', heading: 'Waiting for you to verify' });
    const toVerify = aisha.locator('.govuk-summary-card', { hasText: description });
    await toVerify.getByLabel('What you checked').fill('Read the visit record and the revised plan.');
    await toVerify.getByRole('button', { name: /^Verify/ }).click();
    await aisha.getByText('The action is now verified.').waitFor();
    await expect(
      aisha.locator('.govuk-summary-list__row', { hasText: 'Status' }).first().innerText(),
    ).resolves.toContain('Closed');
    await expect(aisha.getByRole('button', { name: /^Verify/ }).count()).resolves.toBe(0);
    // Closing scheduled the case's re-audit, hers again: on the record, and in her My audits.
    await expect(aisha.locator('#reaudit').innerText()).resolves.toMatch(
      /^Re-audit\s+Due \d+ \w+ \d{4}, allocated to Aisha Khan\./,
    );
    await checkPage(aisha);
    const recordUrl = aisha.url();
    await aisha.getByRole('link', { name: 'My audits', exact: true }).click();
    await aisha.locator('#to-do tr', { hasText: caseRef }).filter({ hasText: 'Re-audit' }).waitFor();
    await checkPage(aisha);
    // Graded Good this time: the record shows the grades before and after.
    const { services } = app.ctx;
    const [reaudit] = await app.ctx.db.knex('audit').whereNotNull('remediation_record_id').pluck('id');
    const { framework } = await services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
    const auditor = (await services.users.findByEmail(DEMO.auditor)) as User;
    await services.audits.submit(
      reaudit,
      { version: 0, response: completeResponse(framework, () => 1) },
      auditor,
      { ...SYSTEM_ACTOR, userId: auditor.id },
    );
    await aisha.goto(recordUrl);
    const overall = aisha
      .getByRole('region', { name: 'Grades before and after' })
      .getByRole('row', { name: /^Overall/ });
    await expect(overall.innerText()).resolves.toMatch(/Inadequate\s+Good\s+Better/);
    await checkPage(aisha);
    expect(aishaErrors).toEqual([]);
    await aisha.context().close();
  }, 180_000);
});
