import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import type { User } from '../../src/users/user';
import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';
import { FRAMEWORK, moderateAll, roundForAuditor } from '../support/audits';

/**
 * What submitted audits found, as team managers and heads of service read it. Assessment North is Harry
 * Chen's team; Family Safeguarding South 1 is Hassan Campbell's, in Fiona Gallagher's service area.
 */

let ctx: TestContext;
let framework: Framework;
let auditor: User;
const audits: Record<string, { id: number; caseRef: string }> = {};

const GOOD = 1;
const REQUIRES_IMPROVEMENT = 2;
const INADEQUATE = 3;

async function submit(id: number, rank: number) {
  await ctx.services.audits.submit(
    id,
    { version: 0, response: completeResponse(framework, () => rank) },
    auditor,
    { ...SYSTEM_ACTOR, userId: auditor.id },
  );
}

const moderate = (id: number, rank: number) =>
  moderateAll(
    ctx.services,
    framework,
    id,
    ['outstanding', 'good', 'requires-improvement', 'inadequate'][rank] as string,
  );

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  auditor = (await ctx.services.users.findByEmail(DEMO.auditor)) as User;
  const { auditIds } = await roundForAuditor(ctx.services, {
    perTeam: 3,
    moderation: { samplePercent: 100, allInadequate: true, allOutstanding: false, blind: true },
  });
  const rows: { id: number; caseRef: string; team: string }[] = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .whereIn('a.id', auditIds)
    .orderBy('a.id')
    .select('a.id', 'c.case_ref as caseRef', 't.code as team');
  const of = (team: string) => rows.filter((r) => r.team === team);
  const [an1, an2, an3] = of('assessment-north');
  const [fs1, fs2, fs3] = of('family-safeguarding-south-1');
  Object.assign(audits, { an1, an2, an3, fs1, fs2, fs3 });

  await submit(an1!.id, INADEQUATE);
  await submit(an2!.id, GOOD);
  await moderate(an2!.id, INADEQUATE);
  // A draft graded inadequate so far: never shown to managers.
  await ctx.services.audits.saveDraft(
    an3!.id,
    { version: 0, response: completeResponse(framework, () => INADEQUATE) },
    auditor,
    SYSTEM_ACTOR,
  );
  await submit(fs1!.id, INADEQUATE);
  await submit(fs2!.id, INADEQUATE);
  await moderate(fs2!.id, REQUIRES_IMPROVEMENT);
  await submit(fs3!.id, INADEQUATE);
  // fs3 was submitted last month. Submitted revisions are immutable, so the test lifts that for a moment.
  await ctx.db.knex.transaction(async (tx) => {
    await tx.raw('alter table audit_revision disable trigger audit_revision_immutable_when_submitted');
    await tx('audit_revision')
      .where({ audit_id: fs3!.id })
      .update({
        submitted_at: tx.raw(`date_trunc('month', now() at time zone 'Europe/London') - interval '2 days'`),
      });
    await tx.raw('alter table audit_revision enable trigger audit_revision_immutable_when_submitted');
  });
});
afterAll(() => ctx.close());

const agents: Partial<Record<keyof typeof DEMO, TestAgent>> = {};
async function page(who: keyof typeof DEMO, path: string): Promise<string> {
  agents[who] ??= await signedInAgent(ctx, DEMO[who]);
  return (await agents[who].get(path).expect(200)).text;
}

/** The case references linked to their audit in the table with this id. */
function linkedCases(html: string, tableId: string): string[] {
  const start = html.indexOf(`id="${tableId}"`);
  if (start < 0) return [];
  const table = html.slice(start, html.indexOf('</table>', start));
  return [...table.matchAll(/href="\/audits\/(\d+)">(?:<span[^>]*>[^<]*<\/span>)?(\w+)</g)].map(
    (m) => m[2] as string,
  );
}

const audit = (key: string) => audits[key] as { id: number; caseRef: string };
const refs = (...keys: string[]) => keys.map((k) => audit(k).caseRef);
const teamId = async (code: string) => (await ctx.db.knex('team').where({ code }).first('id')).id as number;

describe('inadequate this month, on the home page', () => {
  it.each([
    ['teamManager', ['an2', 'an1']],
    ['teamManagerOnly', ['fs1']],
    ['headOfService', ['fs1']],
  ] as const)(
    'shows %s their teams’ audits graded inadequate this month (the agreed grade after moderation), newest first',
    async (who, expected) => {
      const home = await page(who, '/');
      expect(linkedCases(home, 'inadequate-this-month')).toEqual(refs(...expected));
    },
  );

  it('never shows a draft, another team’s audit, or one regraded in moderation', async () => {
    const harry = await page('teamManager', '/');
    for (const ref of refs('an3', 'fs1', 'fs2', 'fs3')) expect(harry).not.toContain(ref);
    const hassan = await page('teamManagerOnly', '/');
    expect(hassan).not.toContain(audits.fs2?.caseRef);
    expect(hassan).not.toContain(audits.fs3?.caseRef);
  });

  it('is not shown to roles that do not manage teams', async () => {
    for (const who of ['auditor', 'moderator', 'director', 'admin'] as const)
      expect(await page(who, '/')).not.toContain('Inadequate this month');
  });
});

describe('a team’s submitted audits, on the team page', () => {
  it('lists every submitted audit of the team with its final grade, linking to its read page', async () => {
    const html = await page('teamManagerOnly', `/teams/${await teamId('family-safeguarding-south-1')}`);
    // Newest first: fs3 was submitted last month.
    expect(linkedCases(html, 'submitted-audits')).toEqual(refs('fs2', 'fs1', 'fs3'));
    const row = html.slice(html.indexOf(`>${audits.fs2?.caseRef}<`));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(
      /Requires improvement to be good<\/strong><br><span class="govuk-body-s">agreed in moderation/,
    );
    for (const key of ['fs1', 'fs2', 'fs3'])
      await agents.teamManagerOnly!.get(`/audits/${audits[key]?.id}`).expect(200);
  });

  it('never lists a draft', async () => {
    const html = await page('teamManager', `/teams/${await teamId('assessment-north')}`);
    expect(linkedCases(html, 'submitted-audits')).toEqual(refs('an2', 'an1'));
    expect(html).not.toContain(audit('an3').caseRef);
  });
});

describe('the Cases list', () => {
  async function statusCells(who: keyof typeof DEMO): Promise<Map<string, string>> {
    const importId = (
      await ctx.db
        .knex('audit as a')
        .join('case_record as c', 'c.id', 'a.case_id')
        .where('a.id', audit('an1').id)
        .first('c.import_id')
    ).import_id;
    const html = await page(who, `/cases?import=${importId}&team=${await teamId('assessment-north')}`);
    const cells = new Map<string, string>();
    for (const row of html.split('<tr class="govuk-table__row">').slice(2)) {
      const ref = /<th scope="row" class="govuk-table__header">(\w+)</.exec(row)?.[1];
      const cell = [...row.matchAll(/<td class="govuk-table__cell">([\s\S]*?)<\/td>/g)].at(-1)?.[1];
      if (ref && cell)
        cells.set(ref, cell.replace(/<span class="govuk-visually-hidden">[^<]*<\/span>/g, '').trim());
    }
    return cells;
  }

  it('shows each case’s audit status, linking to the audit where the user may read it', async () => {
    const cells = await statusCells('teamManager');
    const [an1, an2, an3] = [audit('an1'), audit('an2'), audit('an3')];
    expect(cells.get(an1.caseRef)).toBe(
      `<a class="govuk-link" href="/audits/${an1.id}">Submitted</a><br><strong class="govuk-tag govuk-tag--red">Inadequate</strong>`,
    );
    expect(cells.get(an2.caseRef)).toContain('agreed in moderation');
    // In progress: the manager may not read a draft, so there is no link and no grade.
    expect(cells.get(an3.caseRef)).toBe('In progress');
    const others = [...cells.entries()].filter(([ref]) => !refs('an1', 'an2', 'an3').includes(ref));
    expect(others.length).toBeGreaterThan(0);
    for (const [, cell] of others) expect(cell).toBe('Not audited');
  });

  it('links an administrator to the draft too', async () => {
    const cells = await statusCells('admin');
    expect(cells.get(audit('an3').caseRef)).toBe(
      `<a class="govuk-link" href="/audits/${audit('an3').id}">In progress</a>`,
    );
  });
});
