import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import type { User } from '../../src/users/user';
import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';
import { fillPath, listRoutes } from '../support/routes';

let ctx: TestContext;
let auditor: TestAgent;
let admin: TestAgent;
/** A draft audit of the demo auditor's: its pages, and its case. */
let draft: { id: number; caseRef: string; sectionIds: string[] };
beforeAll(async () => {
  ctx = await createTestContext({ activity: true });
  auditor = await signedInAgent(ctx, DEMO.auditor);
  admin = await signedInAgent(ctx, DEMO.admin);
  const user = (await ctx.services.users.findByEmail(DEMO.auditor)) as User;
  const ids: number[] = await ctx.db.knex('audit').where({ auditor_user_id: user.id }).pluck('id');
  for (const id of ids) {
    const detail = await ctx.services.audits.get(id, user, SYSTEM_ACTOR);
    if (detail.audit.status === 'submitted' || !detail.access.edit) continue;
    const sectionIds = detail.framework.framework.sections.map((s) => s.id);
    draft = { id, caseRef: detail.audit.profile.caseRef, sectionIds };
    break;
  }
  if (!draft) throw new Error('the demo auditor has no draft audit');
}, 120_000);
afterAll(() => ctx.close());

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

describe('page titles', () => {
  it('name the case on every page of an audit (every page the app serves under /audits/:id)', async () => {
    const pages = listRoutes(ctx.app)
      .filter((r) => r.method === 'get' && r.path.startsWith('/audits/:id'))
      .flatMap((r) =>
        r.path.includes(':sectionId')
          ? draft.sectionIds.map((sectionId) => fillPath(r.path, { id: draft.id, sectionId }))
          : [fillPath(r.path, { id: draft.id })],
      );
    expect(pages.length).toBeGreaterThan(draft.sectionIds.length);
    const titles = await Promise.all(
      pages.map(async (path) => ({ path, title: titleOf((await auditor.get(path).expect(200)).text) })),
    );
    expect(titles.filter(({ title }) => !title?.includes(`case ${draft.caseRef} – Case Audit`))).toEqual([]);
  });

  it.each([
    ['a section', (id: number) => `/audits/${id}/sections/case-profile`, 'Case profile – case REF'],
    ['the overall grade', (id: number) => `/audits/${id}/overall`, 'Overall grade – case REF'],
    [
      'the check page',
      (id: number) => `/audits/${id}/check`,
      'Check your audit before submitting it – case REF',
    ],
  ])('say which page of the audit: %s', async (_what, path, title) => {
    const res = await auditor.get(path(draft.id)).expect(200);
    expect(titleOf(res.text)).toBe(`${title.replace('REF', draft.caseRef)} – Case Audit`);
  });

  it('name the case of a calibration exercise', async () => {
    const exercise = await ctx.db
      .knex('calibration_exercise as e')
      .join('case_record as c', 'c.id', 'e.case_id')
      .first('e.id', 'e.name', 'c.case_ref');
    const res = await admin.get(`/calibration/${exercise.id}`).expect(200);
    expect(titleOf(res.text)).toBe(`${exercise.name} – case ${exercise.case_ref} – Case Audit`);
  });

  it.each([
    ['/cases', 'Cases'],
    ['/admin/audit-log', 'Audit log'],
  ])('say which page of a paged list they are: %s', async (path, title) => {
    const first = titleOf((await admin.get(path).expect(200)).text);
    const pages = Number(/\(page 1 of (\d+)\)/.exec(first ?? '')?.[1]);
    expect(first).toBe(`${title} (page 1 of ${pages}) – Case Audit`);
    expect(pages).toBeGreaterThan(1);
    const last = await admin.get(`${path}?page=${pages}`).expect(200);
    expect(titleOf(last.text)).toBe(`${title} (page ${pages} of ${pages}) – Case Audit`);
  });
});
