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

it('has the closed record’s re-audit, scheduled and allocated to the auditor who graded the case', async () => {
  const reaudits = await ctx.db
    .knex('audit as a')
    .join('remediation_record as r', 'r.id', 'a.remediation_record_id')
    .join('audit as o', 'o.id', 'r.audit_id')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('case_record as oc', 'oc.id', 'o.case_id')
    .select(
      'r.status',
      'a.status as reauditStatus',
      'a.auditor_user_id',
      'o.auditor_user_id as original',
      'c.case_ref',
      'oc.case_ref as originalRef',
      'a.due_date',
    );
  expect(reaudits).toEqual([expect.objectContaining({ status: 'closed', reauditStatus: 'allocated' })]);
  const [reaudit] = reaudits;
  expect(reaudit.auditor_user_id).toBe(reaudit.original);
  expect(reaudit.case_ref).toBe(reaudit.originalRef);
  expect(reaudit.due_date > new Date().toISOString().slice(0, 10)).toBe(true);
});
