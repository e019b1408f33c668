import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { londonDate } from '../../src/dates';
import { seedDemoHistory, type HistoryResult } from '../../src/demo/history';
import { addMonths, monthsBetween } from '../../src/reporting/months';
import { createTestContext, DEMO, tokenFor, type TestContext } from '../support/app';

/**
 * The demo's twelve months of history: made once, on the days it happened, its remediation answered and
 * (but for the last two months) closed and re-audited, nothing overdue, nobody emailed about the past, and
 * last month's board pack there on first start.
 */
let ctx: TestContext;
let history: HistoryResult | undefined;
/** The emails the rest of the demo leaves waiting to be sent: the history adds only the pack's news. */
let waitingBefore: string[];
const waiting = async () =>
  (await ctx.db.knex('notification').whereNull('sent_at').orderBy('id').select('kind')).map((n) => n.kind);
const today = londonDate();
const thisMonth = today.slice(0, 7);
const months = monthsBetween(addMonths(thisMonth, -12), addMonths(thisMonth, -1));

beforeAll(async () => {
  ctx = await createTestContext({ activity: true });
  waitingBefore = await waiting();
  history = await seedDemoHistory(ctx.services, ctx.infrastructure.db, SYSTEM_ACTOR);
}, 240_000);
afterAll(() => ctx.close());

const knex = () => ctx.db.knex;

describe('the demo history', () => {
  it('makes twelve months of audits, moderation, remediation and re-audits, once', async () => {
    expect(history).toMatchObject({ months: 12, pack: true });
    expect(history?.submitted).toBeGreaterThanOrEqual(12 * 15);
    expect(history?.moderated).toBeGreaterThan(0);
    expect(history?.recordsClosed).toBeGreaterThan(0);
    expect(history?.reaudits).toBeGreaterThan(0);
    expect(await seedDemoHistory(ctx.services, ctx.infrastructure.db, SYSTEM_ACTOR)).toBeUndefined();
  });

  it('puts each month’s audits in their month, its round due at the month’s end and closed', async () => {
    const byMonth = await knex().raw(
      `select to_char(r.due_date, 'YYYY-MM') as round_month,
              min(to_char(v.submitted_at at time zone 'Europe/London', 'YYYY-MM')) as first,
              max(to_char(v.submitted_at at time zone 'Europe/London', 'YYYY-MM')) as last,
              bool_and(r.status = 'closed') as closed
         from audit_round r join audit a on a.round_id = r.id
         join audit_revision v on v.audit_id = a.id and v.status = 'submitted'
        where r.name like '% monthly audit' and r.due_date < ?
        group by 1 order by 1`,
      [`${thisMonth}-01`],
    );
    expect(byMonth.rows).toEqual(months.map((m) => ({ round_month: m, first: m, last: m, closed: true })));
  });

  it('shows every month in the trend, and an improvement the SPC rules find', async () => {
    const director = await tokenFor(ctx, DEMO.director);
    const res = await request(ctx.app)
      .get('/api/reports/summary')
      .query({ from: `${months[0]}-01`, to: `${months.at(-1)}-28`, months: '12' })
      .auth(director, { type: 'bearer' })
      .expect(200);
    const goodOrBetter = res.body.trends[0];
    expect(goodOrBetter.points.map((p: { month: string }) => p.month)).toEqual(months);
    expect(goodOrBetter.points.some((p: { variation: string }) => p.variation === 'improvement')).toBe(true);
  });

  it('leaves nothing overdue and nobody to be emailed about the past', async () => {
    const swept = await ctx.services.remediation.sweep(SYSTEM_ACTOR);
    expect(swept).toMatchObject({ toHeadsOfService: 0, toDirectors: 0 });
    expect(await waiting()).toEqual([...waitingBefore, 'report.pack']);
  });

  it('keeps submitted revisions unchangeable after moving them back', async () => {
    const revision = await knex()('audit_revision').where('status', 'submitted').first('id');
    await expect(
      knex()('audit_revision').where('id', revision.id).update({ submitted_at: knex().fn.now() }),
    ).rejects.toThrow(/cannot be changed/);
  });

  it('has last month’s board pack, made by the schedule, for the directors', async () => {
    const director = await tokenFor(ctx, DEMO.director);
    const res = await request(ctx.app).get('/api/packs').auth(director, { type: 'bearer' }).expect(200);
    expect(res.body.packs ?? res.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ month: addMonths(thisMonth, -1) })]),
    );
  });
});
