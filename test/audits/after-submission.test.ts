import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { formIn } from '../support/forms';
import { fillPath, listRoutes } from '../support/routes';

let ctx: TestContext;
let framework: Framework;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
});
afterAll(() => ctx.close());

/** The page each of the auditor's audit forms is on, by the route it posts to. */
const PAGE_OF: Record<string, string> = {
  '/audits/:id/sections/:sectionId': '/audits/:id/sections/:sectionId',
  '/audits/:id/overall': '/audits/:id/overall',
  '/audits/:id/submit': '/audits/:id/check',
};
/** Forms that act on a submitted audit, or beside it, rather than on its draft. */
const NOT_DRAFT_FORMS = ['/audits/:id/reopen', '/audits/:id/safeguarding'];

let rounds = 0;
async function aCompleteDraft(): Promise<number> {
  rounds += 1;
  const { auditIds } = await roundForAuditor(ctx.services, { name: `After ${rounds}`, cases: 20 });
  const id = auditIds[0] as number;
  const auditor = await ctx.services.users.findByEmail(DEMO.auditor);
  await ctx.services.audits.saveDraft(
    id,
    { version: 0, response: completeResponse(framework, () => 1) },
    auditor!,
    SYSTEM_ACTOR,
  );
  return id;
}

const state = async (id: number) => ({
  audit: await ctx.db.knex('audit').where({ id }).first('lock_version', 'status'),
  changes: (
    await ctx.db
      .knex('audit_event')
      .where({ record_id: String(id) })
      .whereNot('action', 'like', '%.view')
      .count('* as n')
  )[0],
});

const draftForms = () =>
  listRoutes(ctx.app)
    .filter((r) => r.method === 'post' && r.path.startsWith('/audits/:id/'))
    .filter((r) => !NOT_DRAFT_FORMS.includes(r.path))
    .map((r) => r.path);

describe('an audit form posted after the audit was submitted (Back, then submit again)', () => {
  it('covers every form on the auditor’s draft pages', () => {
    expect(draftForms().sort()).toEqual(Object.keys(PAGE_OF).sort());
  });

  it.each(Object.keys(PAGE_OF))('%s: takes the user to the submitted audit and says so', async (route) => {
    const id = await aCompleteDraft();
    const agent = await signedInAgent(ctx, DEMO.auditor);
    const values = { id, sectionId: 'recording' };
    const page = await agent.get(fillPath(PAGE_OF[route] as string, values)).expect(200);
    const action = fillPath(route, values);
    const form = formIn(page.text, action);
    // Submitted meanwhile, in another tab.
    const auditor = await ctx.services.users.findByEmail(DEMO.auditor);
    await ctx.services.audits.submit(id, { version: 1 }, auditor!, SYSTEM_ACTOR);
    const before = await state(id);

    const late = await agent.post(action).type('form').send(form).expect(303);
    expect(late.headers.location).toBe(`/audits/${id}`);
    const shown = await agent.get(late.headers.location as string).expect(200);
    expect(shown.text).toMatch(
      /This audit was already submitted on \d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm), so nothing was changed/,
    );
    expect(shown.text).not.toContain('There is a problem with what was sent');
    expect(await state(id)).toEqual(before);

    // The page's own saving as you type is told the same, in JSON.
    if (route !== '/audits/:id/submit') {
      const typed = await agent
        .post(action)
        .type('form')
        .set('Accept', 'application/json')
        .send(form)
        .expect(409);
      expect(typed.body).toMatchObject({ title: 'Already submitted' });
      expect(await state(id)).toEqual(before);
    }
  });
});
