import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { myAudits } from '../../src/my-audits/sections';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { importNativeCases } from '../support/case-lists';
import { eventMark, eventsSince } from '../support/events';

let ctx: TestContext;
let adminToken: string;
let auditorToken: string;
let importId: number;
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  adminToken = (await ctx.services.tokens.create({ email: DEMO.admin }, SYSTEM_ACTOR)).token;
  auditorToken = (await ctx.services.tokens.create({ email: DEMO.auditor }, SYSTEM_ACTOR)).token;
  importId = await importNativeCases(ctx.services.cases, 120);
});
afterAll(() => ctx.close());

const api = () => request(ctx.app);
const as = (token: string) => (req: request.Test) => req.set('Authorization', `Bearer ${token}`);
const asAdmin = (req: request.Test) => as(adminToken)(req);

const plan = (overrides: Record<string, unknown> = {}) => ({
  name: 'API round',
  frameworkId: 'childrens-social-care-case-audit',
  frameworkVersion: '1.0.0',
  importId,
  dueDate: '2099-01-31',
  seed: 42,
  filters: {},
  size: { kind: 'per-team', perTeam: 2 },
  stratifyBy: 'team',
  exclusions: { auditedWithinMonths: 12, inOtherOpenRound: true, closed: true, restricted: true },
  ...overrides,
});

describe('audit rounds API', () => {
  it('previews a plan with dryRun, saving nothing', async () => {
    const mark = await eventMark(ctx.db.knex);
    const before = await ctx.db.knex('audit_round').count<{ count: number }[]>({ count: '*' });
    const res = await asAdmin(api().post('/api/audit-rounds'))
      .send({ ...plan(), dryRun: true })
      .expect(200);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.preview).toMatchObject({ seed: 42, population: 120, total: 8 });
    expect(res.body.preview.sample).toHaveLength(8);
    const after = await ctx.db.knex('audit_round').count<{ count: number }[]>({ count: '*' });
    expect(after).toEqual(before);
    // The sampled cases' references were seen: the view is in the audit log.
    const sam = await ctx.services.users.findByEmail(DEMO.admin);
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([
      expect.objectContaining({
        recordType: 'audit_round_preview',
        recordId: String(importId),
        actorUserId: sam?.id,
        requestId: res.headers['x-request-id'],
      }),
    ]);
  });

  it('creates a round (201, Location), lists it and shows its plan, sample and allocations', async () => {
    const created = await asAdmin(api().post('/api/audit-rounds')).send(plan()).expect(201);
    expect(created.headers.location).toBe(`/api/audit-rounds/${created.body.id}`);
    const list = await asAdmin(api().get('/api/audit-rounds')).expect(200);
    expect(list.body.rounds[0]).toMatchObject({ id: created.body.id, name: 'API round', auditCount: 8 });
    const got = await asAdmin(api().get(created.headers.location as string)).expect(200);
    expect(got.body.round).toMatchObject({ seed: 42, importId, plan: { size: { kind: 'per-team' } } });
    expect(got.body.audits).toHaveLength(8);
    expect(got.body.audits.map((a: { caseId: number }) => a.caseId).sort()).toEqual(
      created.body.preview.sample.map((s: { caseId: number }) => s.caseId).sort(),
    );
  });

  it('answers a bad plan with 422 and every problem named by field', async () => {
    const res = await asAdmin(api().post('/api/audit-rounds'))
      .send(plan({ size: { kind: 'per-team', perTeam: 0 }, surprise: 1 }))
      .expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['surprise']));
    await asAdmin(api().post('/api/audit-rounds'))
      .send({ ...plan(), dryRun: 'yes' })
      .expect(422);
    await asAdmin(api().post('/api/audit-rounds')).send([1, 2]).expect(422);
  });

  it('reallocates with a reason, and refuses a conflict of interest', async () => {
    const [round] = (await asAdmin(api().get('/api/audit-rounds')).expect(200)).body.rounds;
    const { audits } = (await asAdmin(api().get(`/api/audit-rounds/${round.id}`))).body;
    const harry = await ctx.services.users.findByEmail(DEMO.teamManager);
    const own = audits.find((a: { teamName: string }) => a.teamName === 'Assessment North');
    const refused = await asAdmin(api().post(`/api/audits/${own.id}/reallocate`))
      .send({ auditorUserId: harry!.id, reason: 'cover' })
      .expect(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'auditorUserId' });
    await asAdmin(api().post(`/api/audits/${own.id}/reallocate`))
      .send({ auditorUserId: null })
      .expect(422);
    const moved = await asAdmin(api().post(`/api/audits/${own.id}/reallocate`))
      .send({ auditorUserId: null, reason: 'Auditor off sick' })
      .expect(200);
    expect(moved.body.audit).toMatchObject({ status: 'unallocated', auditorUserId: null });
    expect(moved.body.history.at(-1)).toMatchObject({ reason: 'Auditor off sick' });
  });

  it('is for admins: others are refused, and an auditor sees only their own audits', async () => {
    await as(auditorToken)(api().get('/api/audit-rounds')).expect(403);
    await as(auditorToken)(api().post('/api/audit-rounds')).send(plan()).expect(403);
    const mine = await as(auditorToken)(api().get('/api/my-audits')).expect(200);
    const aisha = await ctx.services.users.findByEmail(DEMO.auditor);
    expect(mine.body.audits.length).toBeGreaterThan(0);
    expect(mine.body.audits.every((a: { auditorUserId: number }) => a.auditorUserId === aisha!.id)).toBe(
      true,
    );
    await asAdmin(api().get('/api/my-audits')).expect(403);
  });
});

describe('planning a round in the browser, without JavaScript', () => {
  type Agent = Awaited<ReturnType<typeof signedInAgent>>;
  async function answer(agent: Agent, path: string, fields: Record<string, string | string[]>) {
    const page = await agent.get(path).expect(200);
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), ...fields });
  }

  it('asks one question per page, shows the preview, and creates the round', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    await agent.get('/rounds/new').expect(302).expect('Location', '/rounds/new/name');
    // A question cannot be skipped.
    await agent.get('/rounds/new/size').expect(303).expect('Location', '/rounds/new/name');

    const blank = await answer(agent, '/rounds/new/name', { name: '  ' });
    expect(blank.status).toBe(422);
    expect(blank.text).toContain('There is a problem');
    expect(blank.text).toContain('<a href="#name">Enter a name for the audit round</a>');

    await answer(agent, '/rounds/new/name', { name: 'January neglect audit' }).then((r) =>
      expect(r.headers.location).toBe('/rounds/new/framework'),
    );
    await answer(agent, '/rounds/new/framework', { framework: 'childrens-social-care-case-audit@1.1.0' });
    await answer(agent, '/rounds/new/population', { importId: String(importId) });
    const types = await agent.get('/rounds/new/case-types').expect(200);
    // The framework's own case types start selected.
    expect(types.text).toMatch(/value="child-protection" checked/);
    await answer(agent, '/rounds/new/case-types', { caseTypes: ['child-protection', 'child-in-need'] });
    await answer(agent, '/rounds/new/teams', { teamScope: 'all' });
    const themed = await answer(agent, '/rounds/new/themes', { themed: 'yes' });
    expect(themed.text).toContain('Select at least one theme');
    await answer(agent, '/rounds/new/themes', { themed: 'no' });
    await answer(agent, '/rounds/new/exclusions', {
      exclude: ['recentlyAudited', 'inOtherOpenRound', 'closed', 'restricted'],
      months: '12',
    });

    // The size page previews: the button re-renders with the answer, saving nothing.
    const previewed = await answer(agent, '/rounds/new/size', {
      sizeKind: 'margin-of-error',
      margin: '20',
      confidence: '95',
      action: 'preview',
    });
    expect(previewed.status).toBe(200);
    expect(previewed.text).toContain('What this plan gives');
    expect(previewed.text).toContain('finite population correction');
    const sized = await answer(agent, '/rounds/new/size', { sizeKind: 'fixed', total: '6' });
    expect(sized.headers.location).toBe('/rounds/new/spread');
    await answer(agent, '/rounds/new/spread', { stratifyBy: 'case-type' });
    const aisha = await ctx.services.users.findByEmail(DEMO.auditor);
    const capacity = await answer(agent, '/rounds/new/auditors', { [`capacity-${aisha!.id}`]: 'lots' });
    expect(capacity.status).toBe(422);
    expect(capacity.text).toContain(`href="#capacity-${aisha!.id}"`);
    await answer(agent, '/rounds/new/auditors', {});
    const pastDate = await answer(agent, '/rounds/new/due-date', {
      'dueDate-day': '1',
      'dueDate-month': '1',
      'dueDate-year': '2001',
    });
    expect(pastDate.text).toContain('must be today or in the future');
    const badDate = await answer(agent, '/rounds/new/due-date', {
      'dueDate-day': '31',
      'dueDate-month': '2',
      'dueDate-year': '2099',
    });
    expect(badDate.text).toContain('must be a real date');
    const dated = await answer(agent, '/rounds/new/due-date', {
      'dueDate-day': '31',
      'dueDate-month': '1',
      'dueDate-year': '2099',
    });
    expect(dated.headers.location).toBe('/rounds/new/check');

    const check = await agent.get('/rounds/new/check').expect(200);
    expect(check.text).toContain('January neglect audit');
    expect(check.text).toContain('Child in need and Child protection');
    expect(check.text).toContain('6 cases in all');
    expect(check.text).toContain('<strong>6 cases</strong>');

    const created = await agent
      .post('/rounds/new/check')
      .type('form')
      .send({ _csrf: csrfTokenIn(check.text) })
      .expect(303);
    const roundPage = await agent.get(created.headers.location as string).expect(200);
    expect(roundPage.text).toContain('January neglect audit was created with 6 audits');
    expect(roundPage.text).toContain('In proportion to each case type');
    // The draft is gone: planning again starts afresh.
    await agent.get('/rounds/new').expect(302).expect('Location', '/rounds/new/name');
  });

  it('lets an admin reallocate from the round page, with a reason', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const [round] = await ctx.services.rounds.list();
    const { audits } = await ctx.services.rounds.get(round!.id, SYSTEM_ACTOR);
    const audit = audits[0]!;
    const path = `/rounds/${round!.id}/audits/${audit.id}/reallocate`;
    const page = await agent.get(path).expect(200);
    // Each auditor with a conflict of interest is shown with it, beside their name.
    const inHarrysTeam = audits.find((a) => a.teamName === 'Assessment North')!;
    const choices = await agent.get(`/rounds/${round!.id}/audits/${inHarrysTeam.id}/reallocate`).expect(200);
    expect(choices.text).toMatch(
      /Harry [^<]*<\/label>\s*<div [^>]*class="govuk-hint govuk-radios__hint">\s*Cannot audit this case: (the case is in their own team|they manage the case’s team)/,
    );
    const noReason = await agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), auditorUserId: 'none', reason: '' })
      .expect(422);
    expect(noReason.text).toContain('Give a reason for the reallocation');
    await agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), auditorUserId: 'none', reason: 'Waiting for cover' })
      .expect(303);
    const after = await agent.get(path).expect(200);
    expect(after.text).toContain('Waiting for cover');
  });

  it('counts the work on the home pages from the lists they link to', async () => {
    const auditor = await signedInAgent(ctx, DEMO.auditor);
    const aisha = await ctx.services.users.findByEmail(DEMO.auditor);
    const { toDo, submitted } = await myAudits(ctx.services.rounds, aisha!.id, SYSTEM_ACTOR);
    expect(toDo.length).toBeGreaterThan(0);
    expect(submitted).toEqual([]);
    expect((await auditor.get('/').expect(200)).text).toContain(
      `<a class="govuk-link" href="/my-audits#to-do">${toDo.length} audit${toDo.length === 1 ? '' : 's'} to do</a>`,
    );
    const admin = await signedInAgent(ctx, DEMO.admin);
    const home = (await admin.get('/').expect(200)).text;
    expect(home).toContain('cases.csv</a>: 120 cases');
    const rounds = await ctx.services.rounds.list();
    expect(home).toContain(
      `Audit rounds</dt><dd class="govuk-summary-list__value"><a class="govuk-link" href="/rounds">${rounds.length}</a>`,
    );
  });

  it('is refused to anyone but an admin', async () => {
    const agent = await signedInAgent(ctx, DEMO.auditor);
    await agent.get('/rounds/new').expect(403);
    await agent.get('/rounds').expect(403);
    const mine = await agent.get('/my-audits').expect(200);
    expect(mine.text).toContain('My audits');
  });
});
