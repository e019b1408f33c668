import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { sectionProgress } from '../../src/audits/response';
import type { Framework } from '../../src/frameworks/types';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor, sectionFormOf } from '../support/audits';
import { decode } from '../support/forms';

let ctx: TestContext;
let auditor: TestAgent;
let framework: Framework;
let auditId: number;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  ({
    auditIds: [auditId = 0],
  } = await roundForAuditor(ctx.services, {
    moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
  }));
  auditor = await signedInAgent(ctx, DEMO.auditor);
});
afterAll(() => ctx.close());

/** The error summary's links: where each goes and what it says. */
function errorSummaryLinks(html: string): { href: string; text: string }[] {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...summary.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => ({
    href: decode(m[1] as string),
    text: decode(m[2] as string),
  }));
}

const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

/** The form fields of a complete section answer graded Good, as the browser would send them. */
const sectionForm = (sectionId: string) => sectionFormOf(framework, sectionId, 1);

/** Posts a form as the browser would from the page at `from` (default: the form's own address). */
async function post(url: string, form: Record<string, string | string[]>, status: number, from = url) {
  const page = await auditor.get(from);
  return auditor
    .post(url)
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), version: versionIn(page.text), ...form })
    .expect(status);
}

describe('grading pages without JavaScript', () => {
  it('shows the task list with the case profile, due date and each section’s status', async () => {
    const mine = await auditor.get('/my-audits').expect(200);
    expect(mine.text).toContain(`href="/audits/${auditId}"`);
    const page = await auditor.get(`/audits/${auditId}`).expect(200);
    expect(page.text).toContain('govuk-task-list');
    expect(page.text).toContain('Not yet started');
    expect(page.text).toContain('31 January 2099');
    for (const section of framework.sections) expect(page.text).toContain(section.title);
    expect(page.text).toContain('Raise an immediate safeguarding concern');
  });

  it('shows guidance, descriptors and the questions of a section, and saves it', async () => {
    const url = `/audits/${auditId}/sections/recording`;
    const page = await auditor.get(url).expect(200);
    const recording = framework.sections.find((s) => s.id === 'recording');
    expect(page.text).toContain(recording?.descriptors?.good?.slice(0, 40));
    const saved = await post(url, { ...sectionForm('recording'), action: 'next' }, 302);
    expect(saved.headers.location).toBe(`/audits/${auditId}/sections/outcomes-and-impact`);
    const list = await auditor.get(`/audits/${auditId}`).expect(200);
    expect(list.text).toMatch(/Graded Good/);
  });

  it('refuses answers it cannot read with an error summary linking to the field, saving nothing', async () => {
    const url = `/audits/${auditId}/sections/case-profile`;
    const res = await post(url, { ...sectionForm('case-profile'), 'q-prof-sw-count': 'three' }, 422);
    expect(res.text).toContain('govuk-error-summary');
    expect(res.text).toContain('href="#q-prof-sw-count"');
    const saved = await ctx.db.knex('audit_revision').where({ audit_id: auditId }).first();
    expect(saved.response.sections['case-profile']).toBeUndefined();
  });

  it('refuses a save made from a stale page and shows the latest answers', async () => {
    const url = `/audits/${auditId}/sections/recording`;
    const page = await auditor.get(url);
    await post(url, sectionForm('recording'), 302);
    const res = await auditor
      .post(url)
      .type('form')
      .send({
        _csrf: csrfTokenIn(page.text),
        version: versionIn(page.text),
        ...sectionForm('recording'),
        grade: 'inadequate',
      })
      .expect(200);
    expect(res.text).toContain('your changes were not saved');
  });

  it('explains the cap on the overall grade, lists what is missing on submission, then submits', async () => {
    await post(
      `/audits/${auditId}/sections/risk-drift-and-delay`,
      {
        ...sectionForm('risk-drift-and-delay'),
        grade: 'requires-improvement',
      },
      302,
    );
    const overall = await auditor.get(`/audits/${auditId}/overall`).expect(200);
    expect(overall.text).toContain(
      'cannot be better than Requires improvement to be good because Risk, drift and delay is Requires improvement to be good',
    );
    const refused = await post(`/audits/${auditId}/submit`, {}, 422, `/audits/${auditId}/check`);
    expect(refused.text).toContain('govuk-error-summary');
    // Each page that is not complete is listed, in the task list's order, linked to what it needs first.
    const links = errorSummaryLinks(refused.text);
    const saved = await ctx.services.audits.get(
      auditId,
      (await ctx.services.users.findByEmail(DEMO.auditor))!,
      SYSTEM_ACTOR,
    );
    const incomplete = framework.sections.filter(
      (s) => sectionProgress(framework, s, saved.response) !== 'completed',
    );
    expect(incomplete.length).toBeGreaterThan(3);
    expect(links.map((l) => l.text.split(' is not complete: ')[0])).toEqual([
      ...incomplete.map((s) => s.title),
      'Overall grade',
    ]);
    expect(refused.text).not.toContain('#sections"');
    for (const link of links) {
      expect(link.href).toMatch(
        new RegExp(
          `^/audits/${auditId}/(sections/[a-z0-9-]+|overall)\\?from=check#(question|field)-[a-z0-9-]+$`,
        ),
      );
      // The link lands on the question itself (its legend in view), and the page says what is missing.
      const [path, target] = link.href.split('#');
      const landed = await auditor.get(path as string).expect(200);
      expect(landed.text).toContain(`id="${target}"`);
      expect(landed.text).toContain('govuk-error-summary');
      expect(landed.text).toContain('govuk-error-message');
      expect(decode(landed.text)).toContain(
        link.text.split(' is not complete: ')[1]?.replace(/ \(and \d+ more\)$/, ''),
      );
      expect(landed.text).toContain(`href="/audits/${auditId}/check"`);
    }

    for (const section of framework.sections) {
      // Risk, drift and delay again: one of its questions only applies once the case profile says so.
      const form = {
        ...sectionForm(section.id),
        ...(section.id === 'risk-drift-and-delay' ? { grade: 'requires-improvement' } : {}),
      };
      await post(`/audits/${auditId}/sections/${section.id}`, form, 302);
    }
    await post(
      `/audits/${auditId}/overall`,
      {
        grade: 'requires-improvement',
        rationale: 'On balance.',
      },
      302,
    );
    const check = await auditor.get(`/audits/${auditId}/check`).expect(200);
    const done = await auditor
      .post(`/audits/${auditId}/submit`)
      .type('form')
      .send({ _csrf: csrfTokenIn(check.text), version: versionIn(check.text) });
    expect(done.status).toBe(302);
    const shown = await auditor.get(done.headers.location as string).expect(200);
    expect(shown.text).toContain('submitted');
    expect(shown.text).toContain('Reopen for correction');
    // A page left open from before the submission saves nothing, and says why.
    const late = await auditor
      .post(`/audits/${auditId}/sections/recording`)
      .type('form')
      .send({ _csrf: csrfTokenIn(check.text), version: versionIn(check.text), ...sectionForm('recording') })
      .expect(303);
    const told = await auditor.get(late.headers.location as string).expect(200);
    expect(told.text).toContain('This audit was already submitted on');
  });

  it('raises a safeguarding concern from a page and says who it went to', async () => {
    const url = `/audits/${auditId}/safeguarding`;
    await post(url, { details: '' }, 422);
    const res = await post(url, { details: 'Child left alone overnight last week.' }, 302);
    const page = await auditor.get(res.headers.location as string).expect(200);
    expect(page.text).toContain('Safeguarding concern recorded');
  });
});
