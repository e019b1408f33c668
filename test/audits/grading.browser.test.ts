/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { DEMO } from '../support/app';
import { roundForAuditor } from '../support/audits';
import { describeInBrowser, expectAccessible, useBrowserApp, watchForPageErrors } from '../support/browser';

/**
 * Answers every question shown on a section page that is still unanswered, the way a keyboard user
 * would leave it: the first choice, a short text, a number, a date. Repeats while answers reveal more.
 */
async function answerShownQuestions(page: Page): Promise<void> {
  for (let pass = 0; pass < 4; pass++) {
    const changed = await page.evaluate(() => {
      let count = 0;
      const fire = (el: HTMLElement) => el.dispatchEvent(new Event('change', { bubbles: true }));
      for (const question of Array.from(document.querySelectorAll('.app-question:not([hidden])'))) {
        const groups = new Map<string, HTMLInputElement[]>();
        const choices = question.querySelectorAll<HTMLInputElement>(
          'input[type=radio], input[type=checkbox]',
        );
        for (const input of Array.from(choices))
          groups.set(input.name, [...(groups.get(input.name) ?? []), input]);
        for (const inputs of Array.from(groups.values())) {
          if (inputs.some((i) => i.checked)) continue;
          (inputs[0] as HTMLInputElement).checked = true;
          fire(inputs[0] as HTMLInputElement);
          count++;
        }
        for (const area of Array.from(question.querySelectorAll('textarea'))) {
          if (area.value) continue;
          area.value = 'Seen on the case file and discussed with the practitioner.';
          fire(area);
          count++;
        }
        for (const input of Array.from(question.querySelectorAll<HTMLInputElement>('input[type=text]'))) {
          if (input.value) continue;
          input.value = input.name.endsWith('-day')
            ? '15'
            : input.name.endsWith('-month')
              ? '10'
              : input.name.endsWith('-year')
                ? '2026'
                : '2';
          fire(input);
          count++;
        }
      }
      return count;
    });
    if (changed === 0) return;
  }
}

describeInBrowser('grading an audit', () => {
  const app = useBrowserApp({ frameworks: true });
  let auditId: number;
  beforeAll(async () => {
    ({
      auditIds: [auditId = 0],
    } = await roundForAuditor(app.ctx.services, {
      moderation: { samplePercent: 100, allInadequate: true, allOutstanding: false, blind: true },
    }));
  });

  it('grades a real framework end to end, accessibly, with autosave and relevance', async () => {
    const page = await app.signedInPage(DEMO.auditor);
    page.setDefaultTimeout(10_000);
    const errors = watchForPageErrors(page);

    await page.getByRole('link', { name: 'My audits' }).first().click();
    await expectAccessible(page);
    await page.locator(`a[href="/audits/${auditId}"]`).click();
    await page.getByRole('heading', { name: /Audit of case/ }).waitFor();
    await expectAccessible(page);
    await expect(page.getByText('Not yet started').count()).resolves.toBeGreaterThan(5);

    // Safeguarding concern: reachable from every page, checked and recorded.
    await page.getByRole('link', { name: 'Raise an immediate safeguarding concern' }).click();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Raise the concern now' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(page);
    await page
      .getByLabel('What is the concern, and what have you done so far?')
      .fill('Unexplained bruising not followed up; spoke to the team manager at 10:15.');
    await page.getByRole('button', { name: 'Raise the concern now' }).click();
    await page.getByText(/Safeguarding concern recorded/).waitFor();
    await expectAccessible(page);

    // The first section, by keyboard-free clicks on labels, then each section in turn.
    await page.getByRole('link', { name: 'Case profile' }).click();
    for (;;) {
      await expectAccessible(page);
      const title = await page.locator('h1').textContent();
      if (title === 'Conversation with the practitioner') {
        // Relevance: "No" asks why; "Yes" asks for the date and who took part instead.
        await page
          .getByRole('group', { name: 'Did a conversation with the practitioner take place?' })
          .getByLabel('No', { exact: true })
          .check();
        await expect(page.getByLabel('Why did the conversation not take place?').isVisible()).resolves.toBe(
          true,
        );
        await expect(page.getByRole('group', { name: 'Date of the conversation' }).isVisible()).resolves.toBe(
          false,
        );
        await page
          .getByRole('group', { name: 'Did a conversation with the practitioner take place?' })
          .getByLabel('Yes', { exact: true })
          .check();
        await expect(page.getByLabel('Why did the conversation not take place?').isVisible()).resolves.toBe(
          false,
        );
        await expect(page.getByRole('group', { name: 'Date of the conversation' }).isVisible()).resolves.toBe(
          true,
        );
      }
      if (await page.getByRole('group', { name: /^Grade for / }).count()) {
        await page
          .getByRole('group', { name: /^Grade for / })
          .getByLabel('Good', { exact: true })
          .check();
        await page
          .getByLabel('Why this grade', { exact: true })
          .fill(`The evidence supports ${title ?? ''} as good.`);
      }
      await answerShownQuestions(page);
      // Autosave: the draft is saved while typing, and the page keeps the new version.
      await page.getByText(/Draft saved at/).waitFor();
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await page.waitForLoadState();
      if (new URL(page.url()).pathname.endsWith('/overall')) break;
    }

    await expectAccessible(page);
    await page.getByRole('group', { name: 'Overall grade' }).getByLabel('Good', { exact: true }).check();
    await page
      .getByLabel('Why this overall grade')
      .fill('Good help and protection, with recording to improve.');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.getByRole('heading', { name: 'Check your audit before submitting it' }).waitFor();
    await expectAccessible(page);
    // The answers come a section at a time, closed until opened: the page is short.
    await expect(page.locator('details.app-summary-details').count()).resolves.toBeGreaterThan(5);
    await expect(page.locator('details.app-summary-details[open]').count()).resolves.toBe(0);
    await expect(page.evaluate(() => document.documentElement.scrollHeight)).resolves.toBeLessThan(4000);
    await page.getByText('Help and protection', { exact: false }).first().click();
    await expect(page.locator('#summary-help-and-protection[open]').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Submit audit' }).click();
    await page.getByText(/submitted: it has been selected for moderation/).waitFor();
    await expectAccessible(page);
    const audit = await app.ctx.db.knex('audit').where({ id: auditId }).first();
    expect(audit.status).toBe('submitted');
    const revision = await app.ctx.db.knex('audit_revision').where({ audit_id: auditId }).first();
    expect(revision.response.safeguardingConcern).toMatchObject({ raised: true });
    expect(errors).toEqual([]);
  }, 240_000);

  it('lets the team manager read the submitted audit, accessibly', async () => {
    const team = await app.ctx.db
      .knex('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('team as t', 't.id', 'c.team_id')
      .where('a.id', auditId)
      .first('t.code');
    const manager =
      team.code === 'assessment-north'
        ? DEMO.teamManager
        : team.code === 'family-safeguarding-south-1'
          ? DEMO.teamManagerOnly
          : DEMO.admin;
    const page = await app.signedInPage(manager);
    await page.goto(`${app.url}/audits/${auditId}`);
    await page.getByRole('heading', { name: /Audit of case/ }).waitFor();
    // The content hash is shortened, the whole of it on request, and stays inside its column.
    const hash = page.locator('details', { hasText: /Content hash [0-9a-f]{12}…/ });
    await expect(hash.count()).resolves.toBe(1);
    await hash.locator('summary').click();
    const inside = () =>
      page.evaluate(() => {
        const column = document.querySelector('.govuk-grid-column-two-thirds')?.getBoundingClientRect();
        const code = document.querySelector('.app-break-anywhere code')?.getBoundingClientRect();
        return Boolean(column && code && code.right <= column.right + 1 && code.width > 0);
      });
    await expect(inside()).resolves.toBe(true);
    await page.setViewportSize({ width: 320, height: 800 });
    await expect(
      page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).resolves.toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
    await expectAccessible(page);
  });
});
