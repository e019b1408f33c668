import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';

/** The council's report targets: an admin sets them on one form, checked and logged; nobody else can. */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const targets = async () =>
  Object.fromEntries((await ctx.services.targets.list()).map((m) => [m.code, m.targetPercent]));

describe('report targets', () => {
  it('are set, changed and removed by an admin, each change in the audit log', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const page = await agent.get('/admin/targets').expect(200);
    expect(page.text).toContain('Audits graded good or better');
    await agent
      .post('/admin/targets')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), 'good-or-better': '80', inadequate: '5%', completed: '' })
      .expect(303);
    expect(await targets()).toEqual({ 'good-or-better': 80, inadequate: 5, completed: null });
    const again = await agent.get('/admin/targets').expect(200);
    expect(again.text).toContain('value="80"');
    await agent
      .post('/admin/targets')
      .type('form')
      .send({ _csrf: csrfTokenIn(again.text), 'good-or-better': '72.5', inadequate: '', completed: '' })
      .expect(303);
    expect(await targets()).toEqual({ 'good-or-better': 72.5, inadequate: null, completed: null });
    const logged = await ctx.db.knex('audit_event').where({ action: 'report_target.change' }).orderBy('id');
    expect(logged.map((e: { record_id: string }) => e.record_id)).toEqual([
      'good-or-better',
      'inadequate',
      'good-or-better',
      'inadequate',
    ]);
  });

  it.each([['101'], ['-1'], ['eighty'], ['80.125']])(
    'refuse %s with a message by the field, and change nothing',
    async (value) => {
      const before = await targets();
      const agent = await signedInAgent(ctx, DEMO.admin);
      const page = await agent.get('/admin/targets');
      const res = await agent
        .post('/admin/targets')
        .type('form')
        .send({ _csrf: csrfTokenIn(page.text), 'good-or-better': '90', inadequate: value, completed: '' })
        .expect(422);
      expect(res.text).toContain('govuk-error-summary');
      expect(res.text).toContain('href="#inadequate"');
      expect(res.text).toContain('Enter a percentage from 0 to 100');
      expect(await targets()).toEqual(before);
    },
  );

  it.each(Object.entries(DEMO).filter(([role]) => role !== 'admin'))(
    'are refused to the %s',
    async (_r, email) => {
      const agent = await signedInAgent(ctx, email);
      await agent.get('/admin/targets').expect(403);
    },
  );
});
