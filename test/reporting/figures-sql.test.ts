import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { londonDate } from '../../src/dates';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import type { User } from '../../src/users/user';
import request from 'supertest';
import { createTestContext, DEMO, tokenFor, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';

/**
 * The SQL that feeds the reports, against known data: audits submitted with chosen grades, read back as
 * the figures of the whole service, of a head of service's area and of a team manager's team.
 */
let ctx: TestContext;
let framework: Framework;
const user = async (key: keyof typeof DEMO) => (await ctx.services.users.findByEmail(DEMO[key])) as User;
/** Overall ranks given, by team code: 0 Outstanding, 1 Good, 2 Requires improvement, 3 Inadequate. */
const GIVEN: Record<string, number[]> = {
  'assessment-north': [0, 1, 3],
  'family-safeguarding-south-1': [1, 2],
};

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  const auditor = await user('auditor');
  const { auditIds } = await roundForAuditor(ctx.services, {
    perTeam: 3,
    moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
  });
  const rows: { id: number; team: string }[] = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .whereIn('a.id', auditIds)
    .orderBy('a.id')
    .select('a.id', 't.code as team');
  for (const [team, ranks] of Object.entries(GIVEN)) {
    const ids = rows.filter((r) => r.team === team).map((r) => r.id);
    for (const [i, rank] of ranks.entries())
      await ctx.services.audits.submit(
        ids[i] as number,
        { version: 0, response: completeResponse(framework, () => rank) },
        auditor,
        { ...SYSTEM_ACTOR, userId: auditor.id },
      );
  }
}, 60_000);
afterAll(() => ctx.close());

const today = londonDate();

describe('report figures from the database', () => {
  it('count the whole service’s overall grades, and the two headline measures', async () => {
    const { figures } = await ctx.services.reporting.summary(await user('director'), {
      from: today,
      to: today,
    });
    const ofsted = figures.overall.distributions.find((d) => d.scaleId === 'ofsted');
    expect(ofsted?.levels.map((l) => [l.code, l.count])).toEqual([
      ['outstanding', 1],
      ['good', 2],
      ['requires-improvement', 1],
      ['inadequate', 1],
    ]);
    expect(figures.overall.submitted).toBe(5);
    expect(figures.overall.goodOrBetter).toEqual({ count: 3, of: 5 });
    expect(figures.overall.inadequate).toEqual({ count: 1, of: 5 });
    expect(figures.byTeam.map((t) => [t.teamName, t.submitted, t.goodOrBetter.count])).toEqual([
      ['Assessment North', 3, 2],
      ['Family Safeguarding South 1', 2, 1],
    ]);
    expect(figures.bySection.length).toBeGreaterThan(0);
    for (const section of figures.bySection)
      expect(section.distribution.levels.reduce((n, l) => n + l.count, 0)).toBe(5);
  });

  it('count the remediation the period’s audits opened, where it stands today', async () => {
    const { figures } = await ctx.services.reporting.summary(await user('director'), {
      from: today,
      to: today,
    });
    const records = await ctx.db.knex('remediation_record').count<{ n: number }[]>('* as n');
    expect(figures.remediation).toMatchObject({
      opened: Number(records[0]?.n),
      open: Number(records[0]?.n),
      closed: 0,
      actions: 0,
      medianWorkingDaysToClose: null,
    });
    expect(figures.remediation.opened).toBeGreaterThan(0);
    const north = (await ctx.db.knex('team').where({ code: 'family-safeguarding-south-1' }).first('id'))
      .id as number;
    const narrowed = await ctx.services.reporting.summary(await user('director'), {
      from: today,
      to: today,
      teamId: north,
    });
    expect(narrowed.figures.remediation.opened).toBeLessThan(figures.remediation.opened);
  });

  it('count conversations with practitioners and families, and find no gaps where every answer was yes', async () => {
    const { figures } = await ctx.services.reporting.summary(await user('director'), {
      from: today,
      to: today,
    });
    expect(figures.engagement).toEqual({
      practitionerConversation: { count: 5, of: 5 },
      familyFeedback: { count: 5, of: 5 },
    });
    expect(figures.themes.length).toBeGreaterThan(0);
    expect(figures.themes.every((t) => t.gaps.length === 0)).toBe(true);
    expect(figures.inspectionReadiness.map((a) => a.label)).toContain('Help and protection');
  });

  it('count only the teams a team manager manages, and a head of service’s area', async () => {
    const manager = await ctx.services.reporting.summary(await user('teamManagerOnly'), {
      from: today,
      to: today,
    });
    expect(manager.figures.overall.submitted).toBe(2);
    expect(manager.figures.byTeam.map((t) => t.teamName)).toEqual(['Family Safeguarding South 1']);
    const head = await ctx.services.reporting.summary(await user('headOfService'), {
      from: today,
      to: today,
    });
    expect(head.figures.byTeam.map((t) => t.teamName)).toEqual(['Family Safeguarding South 1']);
  });

  it('count nothing submitted outside the period', async () => {
    const { figures } = await ctx.services.reporting.summary(await user('director'), {
      from: '2020-01-01',
      to: '2020-12-31',
    });
    expect(figures.overall.submitted).toBe(0);
  });

  it('count round audits due in the period as planned, completed and overdue', async () => {
    const { figures } = await ctx.services.reporting.summary(await user('director'), {
      from: '2099-01-01',
      to: '2099-12-31',
    });
    expect(figures.plan.completed).toBe(5);
    expect(figures.plan.planned).toBeGreaterThan(5);
    expect(figures.plan.overdue).toBe(0);
  });

  it('refuse a period that is not one, and a team outside the user’s part of the service', async () => {
    const director = await user('director');
    await expect(ctx.services.reporting.summary(director, { from: '2026-13-01' })).rejects.toThrow(
      'The period is not valid.',
    );
    await expect(
      ctx.services.reporting.summary(director, { from: '2026-10-02', to: '2026-10-01' }),
    ).rejects.toThrow('The period is not valid.');
    const manager = await user('teamManagerOnly');
    const north = (await ctx.db.knex('team').where({ code: 'assessment-north' }).first('id')).id as number;
    await expect(ctx.services.reporting.summary(manager, { teamId: north })).rejects.toThrow('no such team');
  });
});

/** Every count in a report's JSON: none is 1 to 4, wherever it is. */
function smallCounts(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => smallCounts(v, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const here = `${path}.${key}`;
    if (
      ['count', 'denominator', 'compared', 'planned', 'overdue'].includes(key) &&
      typeof v === 'number' &&
      v > 0 &&
      v < 5
    )
      return [`${here} = ${v}`];
    return smallCounts(v, here);
  });
}

describe('GET /api/reports/summary', () => {
  const get = async (key: keyof typeof DEMO, query: Record<string, string>) =>
    request(ctx.app)
      .get('/api/reports/summary')
      .query(query)
      .auth(await tokenFor(ctx, DEMO[key]), { type: 'bearer' });

  it('gives every figure, never a count under five: those are "fewer than 5", their percentages withheld', async () => {
    const res = await get('director', { from: today, to: today });
    expect(res.status).toBe(200);
    expect(res.body.grades.submitted).toMatchObject({ count: 5, display: '5', suppressed: false });
    expect(res.body.grades.goodOrBetter).toMatchObject({
      measure: 'good-or-better',
      count: null,
      display: 'fewer than 5',
      percent: null,
      suppressed: true,
    });
    expect(smallCounts(res.body)).toEqual([]);
    expect(res.body.trends.map((t: { measure: string }) => t.measure)).toEqual([
      'good-or-better',
      'inadequate',
    ]);
    // This month's five audits, fewer than five of them good or better: the trend leaves the month out
    // too, or its percentage would give the count away.
    expect(res.body.trends[0]).toMatchObject({ trial: true, monthsWithheld: [today.slice(0, 7)] });
    expect(res.body.trends[0].points).toHaveLength(0);
    expect(JSON.stringify(res.body)).not.toMatch(/"case_?[rR]ef"/);
  });

  it('shows percentages with their 95% interval once there are five or more', async () => {
    const res = await get('director', { from: today, to: today });
    const section = res.body.bySection[0];
    const good = section.levels.find((l: { code: string }) => l.code === 'good');
    expect(good).toMatchObject({ denominator: 5, suppressed: expect.any(Boolean) });
    const complete = res.body.engagement.practitionerConversation;
    expect(complete).toMatchObject({ count: 5, denominator: 5, percent: 100, percentDisplay: '100%' });
    expect(complete.intervalDisplay).toBe('57% to 100%');
  });

  it('is refused to auditors and moderators, and answers a bad period with the field', async () => {
    expect((await get('auditor', {})).status).toBe(403);
    const bad = await get('director', { from: 'yesterday' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('from');
    expect((await get('director', { caseType: 'unknown' })).status).toBe(400);
  });
});

describe('the report targets API', () => {
  it('lets an admin set targets, which the summary shows beside their measures', async () => {
    const admin = await tokenFor(ctx, DEMO.admin);
    const put = await request(ctx.app)
      .put('/api/report-targets')
      .auth(admin, { type: 'bearer' })
      .send({ 'good-or-better': 80, inadequate: '5' });
    expect(put.status).toBe(200);
    const summary = await request(ctx.app)
      .get('/api/reports/summary')
      .query({ from: today, to: today })
      .auth(await tokenFor(ctx, DEMO.director), { type: 'bearer' });
    expect(summary.body.grades.goodOrBetter.targetPercent).toBe(80);
    expect(summary.body.grades.inadequate.targetPercent).toBe(5);
    const refused = await request(ctx.app)
      .put('/api/report-targets')
      .auth(admin, { type: 'bearer' })
      .send({ inadequate: 150 });
    expect(refused.status).toBe(422);
    const director = await request(ctx.app)
      .put('/api/report-targets')
      .auth(await tokenFor(ctx, DEMO.director), { type: 'bearer' })
      .send({ inadequate: 1 });
    expect(director.status).toBe(403);
  });
});
