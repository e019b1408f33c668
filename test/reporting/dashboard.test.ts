import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';

/** The dashboard, for each role that may see it, on the demo's data; refused to the rest. */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ activity: true });
}, 120_000);
afterAll(() => ctx.close());

describe('the reports dashboard', () => {
  it.each([['director'], ['headOfService'], ['teamManagerOnly'], ['admin']] as const)(
    'shows the %s the figures of their part of the service, with charts and their tables',
    async (role) => {
      const agent = await signedInAgent(ctx, DEMO[role]);
      const page = await agent.get('/reports').expect(200);
      expect(page.text).toContain('Headline figures');
      expect(page.text).toContain('Good or better');
      expect(page.text).toContain('Trends');
      expect(page.text).not.toMatch(/DS\d{6}/);
    },
  );

  it('narrows to a team, and answers a bad filter with an error summary', async () => {
    const agent = await signedInAgent(ctx, DEMO.director);
    const team = (await ctx.db.knex('team').where({ code: 'assessment-north' }).first('id')).id as number;
    const narrowed = await agent
      .get('/reports')
      .query({ team: String(team), months: '12' })
      .expect(200);
    expect(narrowed.text).toContain(`<option value="${team}" selected>`);
    const bad = await agent.get('/reports').query({ caseType: 'nonsense' }).expect(422);
    expect(bad.text).toContain('govuk-error-summary');
  });

  it('narrows to a framework, and refuses one that was never loaded', async () => {
    const agent = await signedInAgent(ctx, DEMO.director);
    const narrowed = await agent
      .get('/reports')
      .query({ framework: 'child-protection-thematic' })
      .expect(200);
    expect(narrowed.text).toContain('<option value="child-protection-thematic" selected>');
    expect(narrowed.text).toMatch(/audited with [^<]*child protection/i);
    const bad = await agent.get('/reports').query({ framework: 'no-such-framework' }).expect(422);
    expect(bad.text).toContain('govuk-error-summary');
    expect(bad.text).toContain('framework: is not a framework loaded in the service');
  });

  it.each([['auditor'], ['moderator']] as const)('is refused to the %s', async (role) => {
    const agent = await signedInAgent(ctx, DEMO[role]);
    await agent.get('/reports').expect(403);
  });
});
