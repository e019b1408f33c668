import { createTestContext, type TestContext } from '../support/app';

/** The demo shows the remediation loop alive, as the README says. */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true, activity: true });
}, 120_000);
afterAll(() => ctx.close());

it('has records for the inadequate audits, actions in every state and one record closed', async () => {
  const records = await ctx.db
    .knex('remediation_record as r')
    .join('team as t', 't.id', 'r.team_id')
    .select('r.status', 't.code', 'r.response');
  expect(records.length).toBeGreaterThanOrEqual(5);
  const north = records.filter((r) => r.code === 'assessment-north');
  expect(north.map((r) => r.status).sort()).toEqual(['closed', 'open']);
  expect(north.every((r) => r.response)).toBe(true);
  expect(records.filter((r) => r.code !== 'assessment-north' && r.response === null).length).toBeGreaterThan(
    0,
  );
  const states = await ctx.db.knex('remediation_action').distinct('status').orderBy('status');
  expect(states.map((s) => s.status)).toEqual(['completed', 'in_progress', 'verified']);
});
