/// <reference lib="dom" />
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import { DEMO } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { describeInBrowser, expectAccessible, useBrowserApp, watchForPageErrors } from '../support/browser';

describeInBrowser('moderating an audit', () => {
  const app = useBrowserApp({ frameworks: true });
  let auditId: number;
  beforeAll(async () => {
    const { services } = app.ctx;
    const { auditIds } = await roundForAuditor(services, {
      moderation: { samplePercent: 100, allInadequate: true, allOutstanding: false, blind: true },
    });
    auditId = auditIds[0] as number;
    const auditor = await services.users.findByEmail(DEMO.auditor);
    const { framework } = await services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
    const actor = { ...SYSTEM_ACTOR, userId: auditor?.id ?? null };
    await services.audits.submit(
      auditId,
      { version: 0, response: completeResponse(framework, () => 1) },
      auditor as NonNullable<typeof auditor>,
      actor,
    );
  });

  it('grades blind first, then agrees the outcome with reasons, accessibly', async () => {
    const page = await app.signedInPage(DEMO.moderator);
    page.setDefaultTimeout(10_000);
    const errors = watchForPageErrors(page);
    await page.getByRole('link', { name: 'Moderation', exact: true }).click();
    await expectAccessible(page);
    await page.locator(`a[href="/moderation/audits/${auditId}"]`).click();
    await expectAccessible(page);
    // Blind: the auditor's grades are not on the page.
    await expect(page.getByText('The auditor’s audit').count()).resolves.toBe(0);
    await page.getByRole('button', { name: /Record my grades/ }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(page);
    await page.evaluate(() => {
      for (const input of Array.from(
        document.querySelectorAll<HTMLInputElement>('input[type=radio][value="good"]'),
      ))
        input.checked = true;
      const recording = document.querySelector<HTMLInputElement>(
        'input[name="grade-recording"][value="requires-improvement"]',
      );
      if (recording) recording.checked = true;
    });
    await page.getByRole('textbox', { name: 'Your notes' }).first().waitFor();
    await page.locator('#notes-recording').fill('Case notes months behind; the plan is not updated.');
    await page.getByRole('button', { name: /Record my grades/ }).click();
    await page.getByRole('heading', { name: 'The auditor’s audit' }).waitFor();
    await page.getByText('Your notes: Case notes months behind; the plan is not updated.').waitFor();
    await expectAccessible(page);
    await page
      .getByRole('group', { name: 'Agreed grade for recording' })
      .getByLabel('Requires improvement to be good')
      .check();
    await page.getByRole('button', { name: 'Record the outcome' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(page);
    await page
      .getByRole('group', { name: 'Agreed grade for recording' })
      .getByLabel('Requires improvement to be good')
      .check();
    await page.locator('#reason-recording').fill('Case notes are months behind.');
    await page.getByRole('button', { name: 'Record the outcome' }).click();
    await page.getByText(/Moderation recorded: 1 grade changed/).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'agreement between auditors and moderators' }).click();
    await page.getByRole('heading', { name: 'Agreement between auditors and moderators' }).waitFor();
    await expect(page.getByRole('table').count()).resolves.toBe(4);
    await expectAccessible(page);
    expect(errors).toEqual([]);
  }, 120_000);
});
