import fc from 'fast-check';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { londonDate } from '../../src/dates';
import { asExecutor } from '../../src/db/transaction';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import { addMonths, periodOfMonth } from '../../src/reporting/months';
import { countsRepository as repo } from '../../src/reporting/counts-repository';
import type { ReportFilter } from '../../src/reporting/repository';
import type { User } from '../../src/users/user';
import { createTestContext, DEMO, type TestContext } from '../support/app';
import { FUZZ_SEED } from '../support/fuzz';
import { FRAMEWORK, moderateAll, roundForAuditor } from '../support/audits';

/**
 * The figures read from the monthly tallies are the figures read from the audit tables: audits submitted
 * with chosen grades and back-dated over the last months, compared for every counting function, scope and
 * period, again after a moderation changes agreed grades in a past month, after a resubmission, and after
 * a submission is moved to another month by SQL.
 */
let ctx: TestContext;
let framework: Framework;
let auditIds: number[];
const today = londonDate();
const thisMonth = today.slice(0, 7);
const monthsAgo = (n: number) => addMonths(thisMonth, -n);
const user = async (key: keyof typeof DEMO) => (await ctx.services.users.findByEmail(DEMO[key])) as User;

/** Moves a submitted revision's submission time, as the demo back-dates its history. */
async function backDate(revisionId: number, at: string): Promise<void> {
  await ctx.db.knex.transaction(async (tx) => {
    await tx.raw('alter table audit_revision disable trigger audit_revision_immutable_when_submitted');
    await tx('audit_revision')
      .where('id', revisionId)
      .update({ submitted_at: tx.raw(`?::timestamp at time zone 'Europe/London'`, [at]) });
    await tx.raw('alter table audit_revision enable trigger audit_revision_immutable_when_submitted');
  });
}

const latestRevision = async (auditId: number) =>
  Number(
    (
      await ctx.db
        .knex('audit_revision')
        .where({ audit_id: auditId, status: 'submitted' })
        .orderBy('revision', 'desc')
        .first('id')
    ).id,
  );

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  const auditor = await user('auditor');
  ({ auditIds } = await roundForAuditor(ctx.services, {
    perTeam: 2,
    moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
  }));
  for (const [i, id] of auditIds.entries()) {
    await ctx.services.audits.submit(
      id,
      { version: 0, response: completeResponse(framework, (sectionId) => (i + sectionId.length) % 4) },
      auditor,
      { ...SYSTEM_ACTOR, userId: auditor.id },
    );
    // Over the last four months and this one, some on a month's first and last days.
    const month = monthsAgo(i % 5);
    const day = i % 3 === 0 ? `${month}-01` : i % 3 === 1 ? periodOfMonth(month).to : `${month}-14`;
    await backDate(await latestRevision(id), `${day <= today ? day : today} ${i % 2 ? '00:30' : '23:30'}`);
  }
}, 120_000);
afterAll(() => ctx.close());

/** Every counting function, read from the tallies and raw, must agree for each filter. */
async function expectSameFigures(filters: ReportFilter[]): Promise<void> {
  const ex = asExecutor(ctx.db.knex);
  for (const filter of filters) {
    for (const name of ['gradeViews', 'answerCounts', 'monthlyOverall'] as const) {
      const raw = await repo[name](ex, filter, 'raw');
      expect(await repo[name](ex, filter)).toEqual(raw);
    }
    const plan = await repo.planCounts(ex, filter, today, 'raw');
    expect(await repo.planCounts(ex, filter, today)).toEqual(plan);
  }
}

const wholePeriod = (): ReportFilter => ({
  from: `${monthsAgo(12)}-01`,
  to: today,
  scope: { kind: 'all' },
});

async function filters(): Promise<ReportFilter[]> {
  const team = await ctx.db
    .knex('team')
    .where('code', 'assessment-north')
    .first('id', 'locality_id', 'service_area_id');
  const periods = [
    { from: `${monthsAgo(4)}-01`, to: periodOfMonth(monthsAgo(1)).to },
    { from: `${monthsAgo(4)}-14`, to: today },
    { from: `${monthsAgo(3)}-02`, to: `${monthsAgo(1)}-14` },
    { from: `${monthsAgo(12)}-01`, to: today },
  ];
  const narrowings: Partial<ReportFilter>[] = [
    {},
    { teamId: team.id },
    { localityId: team.locality_id },
    { serviceAreaId: team.service_area_id },
    { caseType: 'child-in-need' },
    { frameworkId: FRAMEWORK.id },
    { frameworkId: 'care-leavers-pathway' },
  ];
  const all: ReportFilter[] = periods.flatMap((period) =>
    narrowings.map((n) => ({ ...period, ...n, scope: { kind: 'all' } })),
  );
  return [...all, { ...(periods[0] as (typeof periods)[0]), scope: { kind: 'teams', teamIds: [team.id] } }];
}

describe('report tallies', () => {
  it('give the same figures as the audit tables, for every scope and period', async () => {
    await expectSameFigures(await filters());
    const months = await ctx.db.knex('report_month').where('stale', false).pluck('month');
    expect(months.length).toBeGreaterThanOrEqual(4);
    const tallied = await ctx.db.knex('report_grade_tally').sum<{ n: string }[]>('count as n');
    expect(Number(tallied[0]?.n)).toBeGreaterThan(0);
  });

  it('give the same figures for any period and narrowing', async () => {
    const team = await ctx.db.knex('team').where('code', 'assessment-north').first('id', 'locality_id');
    const day = fc.integer({ min: 0, max: 200 }).map((n) => londonDate(-n));
    const narrowing = fc.constantFrom<Partial<ReportFilter>>(
      {},
      { teamId: team.id },
      { localityId: team.locality_id },
      { caseType: 'child-protection' },
    );
    await fc.assert(
      fc.asyncProperty(day, day, narrowing, async (a, b, n) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        await expectSameFigures([{ from, to, ...n, scope: { kind: 'all' } }]);
      }),
      { seed: FUZZ_SEED, numRuns: 25 },
    );
  });

  it('are counted again after a moderation changes agreed grades in a past month', async () => {
    const id = auditIds[1] as number;
    const month = await ctx.db
      .knex('audit_revision')
      .where('audit_id', id)
      .first(
        ctx.db.knex.raw(`date_trunc('month', submitted_at at time zone 'Europe/London')::date as month`),
      );
    await ctx.db.knex('moderation').insert({
      audit_id: id,
      audit_revision_id: await latestRevision(id),
      reason: 'random',
      blind: true,
    });
    expect((await ctx.db.knex('report_month').where('month', month.month).first('stale')).stale).toBe(true);
    await moderateAll(ctx.services, framework, id, 'inadequate');
    await expectSameFigures(await filters());
    expect((await ctx.db.knex('report_month').where('month', month.month).first('stale')).stale).toBe(false);
  });

  it('are counted again after a resubmission, and after a submission moves month', async () => {
    const id = auditIds[2] as number;
    const auditor = await user('auditor');
    const as = { ...SYSTEM_ACTOR, userId: auditor.id };
    const audit = await ctx.db.knex('audit').where('id', id).first('lock_version');
    const reopened = await ctx.services.audits.reopen(
      id,
      { version: audit.lock_version, reason: 'The chronology was missing.' },
      auditor,
      as,
    );
    await ctx.services.audits.submit(
      id,
      { version: reopened.version, response: completeResponse(framework, () => 3) },
      auditor,
      as,
    );
    await backDate(await latestRevision(id), `${monthsAgo(1)}-20 10:00`);
    await expectSameFigures(await filters());
    await backDate(await latestRevision(auditIds[3] as number), `${monthsAgo(2)}-10 10:00`);
    await expectSameFigures(await filters());
  });

  it('count the audits planned again when a round’s due date moves and when an audit is cancelled', async () => {
    const { round_id: roundId } = await ctx.db.knex('audit').where('id', auditIds[0]).first('round_id');
    // The round was due in the far future: now two months ago, then a month earlier still.
    await ctx.db
      .knex('audit_round')
      .where('id', roundId)
      .update({ due_date: `${monthsAgo(2)}-15` });
    await expectSameFigures(await filters());
    const planned = await repo.planCounts(asExecutor(ctx.db.knex), wholePeriod(), today);
    expect(planned.reduce((n, p) => n + p.planned, 0)).toBe(auditIds.length);
    expect(planned.reduce((n, p) => n + p.overdue, 0)).toBe(0);
    await ctx.db
      .knex('audit_round')
      .where('id', roundId)
      .update({ due_date: `${monthsAgo(3)}-15` });
    await ctx.db
      .knex('audit')
      .where('id', auditIds[4])
      .update({ status: 'cancelled', cancelled_at: ctx.db.knex.fn.now(), cancelled_reason: 'round closed' });
    await expectSameFigures(await filters());
    const after = await repo.planCounts(asExecutor(ctx.db.knex), wholePeriod(), today);
    expect(after.reduce((n, p) => n + p.planned, 0)).toBe(auditIds.length - 1);
  });

  it('are counted again after a case moves team', async () => {
    const other = await ctx.db.knex('team').where('code', 'family-safeguarding-south-1').first('id');
    const { case_id: caseId } = await ctx.db.knex('audit').where('id', auditIds[0]).first('case_id');
    await ctx.db
      .knex('case_record')
      .where('id', caseId)
      .update({ team_id: other.id, case_type: 'care-leaver' });
    await expectSameFigures(await filters());
  });
});
