import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';

/** What a newcomer finds: the demo case list's restricted children, one of them granted to its team's manager. */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ activity: true });
}, 120_000);
afterAll(() => ctx.close());

it('grants one restricted case of Family Safeguarding South 1 to its manager, who finds it among their cases', async () => {
  const cases = await ctx.services.restrictedCases.list();
  expect(cases.length).toBeGreaterThan(5);
  const granted = cases.filter((c) => c.grants.length > 0);
  expect(granted).toHaveLength(1);
  const [only] = granted;
  const manager = await ctx.services.users.findByEmail(DEMO.teamManagerOnly);
  expect(only?.teamName).toBe('Family Safeguarding South 1');
  expect(only?.grants.map((g) => g.userId)).toEqual([manager?.id]);

  const admin = await signedInAgent(ctx, DEMO.admin);
  const list = await admin.get('/admin/restricted-cases').expect(200);
  expect(list.text).toContain(only?.caseRef);
  const agent = await signedInAgent(ctx, DEMO.teamManagerOnly);
  const team = (await ctx.db.knex('team').where({ name: 'Family Safeguarding South 1' }).first('id')).id;
  const own = await agent.get(`/api/cases?team=${team}&limit=500`).expect(200);
  const refs = JSON.stringify(own.body);
  expect(refs).toContain(only?.caseRef);
  // Their team's other restricted children stay out of sight.
  for (const other of cases.filter((c) => c.teamName === only?.teamName && c !== only))
    expect(refs).not.toContain(other.caseRef);
});
