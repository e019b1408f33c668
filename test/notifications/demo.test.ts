import { jobsOf } from '../../src/workers';
import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';
import { waitFor } from '../support/server-process';

/** The demo, as `npm start` seeds it: one response overdue and escalated, and its emails in the outbox. */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true, activity: true, env: { JOB_POLL_SECONDS: '1' } });
  const { workers, schedules } = jobsOf(ctx.infrastructure, ctx.services);
  await ctx.infrastructure.jobs.start(workers, schedules);
}, 120_000);
afterAll(async () => {
  await ctx.infrastructure.jobs.stop(2000);
  await ctx.close();
});

it('has a record whose response is overdue, escalated to the head of service of its area', async () => {
  const head = await ctx.services.users.findByEmail(DEMO.headOfService);
  const escalated = await ctx.db
    .knex('remediation_escalation as e')
    .join('remediation_record as r', 'r.id', 'e.record_id')
    .join('team as t', 't.id', 'r.team_id')
    .where({ 'e.step': 'head_of_service', 't.name': 'Family Safeguarding South 1' })
    .select('e.recipient_user_ids as recipients', 'r.response', 'r.response_due as due');
  expect(escalated).toHaveLength(1);
  expect(escalated[0].recipients).toEqual([head?.id]);
  expect(escalated[0].response).toBeNull();
  const agent = await signedInAgent(ctx, DEMO.headOfService);
  expect((await agent.get('/').expect(200)).text).toMatch(/escalated to you/i);
});

it('keeps every email it wrote in the outbox: records opened, actions to verify, the re-audit, the escalation', async () => {
  const kinds = await ctx.db.knex('notification').distinct('kind').orderBy('kind');
  expect(kinds.map((k: { kind: string }) => k.kind)).toEqual(
    expect.arrayContaining([
      'remediation.escalated',
      'remediation.opened',
      'remediation.reaudit',
      'remediation.verify',
    ]),
  );
  await waitFor(
    async () => (await ctx.db.knex('notification').whereNull('sent_at').count('* as n').first())?.n === 0,
    30_000,
  );
  expect(await ctx.db.knex('notification').distinct('transport')).toEqual([{ transport: 'outbox' }]);
  const agent = await signedInAgent(ctx, DEMO.admin);
  const outbox = await agent.get('/admin/outbox').expect(200);
  expect(outbox.text).toContain('Overdue remediation escalated to you: Family Safeguarding South 1');
  expect(outbox.text).toContain('Kept in outbox');
});

it('schedules the escalation sweep hourly, the digests on weekday mornings, the board pack on the 1st and retention nightly, and expired case list uploads hourly, in UK time', async () => {
  const { rows } = await ctx.db.knex.raw(
    `select name, cron, timezone as tz from pgboss.schedule order by name`,
  );
  expect(rows).toEqual([
    { name: 'case-import-pending-sweep', cron: '20 * * * *', tz: 'Europe/London' },
    { name: 'notification-digest', cron: '0 7 * * 1-5', tz: 'Europe/London' },
    { name: 'remediation-sweep', cron: '5 * * * *', tz: 'Europe/London' },
    { name: 'report-pack', cron: '0 6 1 * *', tz: 'Europe/London' },
    { name: 'retention-sweep', cron: '30 2 * * *', tz: 'Europe/London' },
  ]);
});
