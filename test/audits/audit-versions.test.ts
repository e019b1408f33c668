import type TestAgent from 'supertest/lib/agent';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { fillPath, listRoutes } from '../support/routes';

let ctx: TestContext;
let auditor: TestAgent;
let csrf: string;
let framework: Framework;
let draftId: number;
let submittedId: number;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  const { auditIds } = await roundForAuditor(ctx.services, {
    moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
  });
  [draftId = 0, submittedId = 0] = auditIds;
  auditor = await signedInAgent(ctx, DEMO.auditor);
  csrf = csrfTokenIn((await auditor.get('/').expect(200)).text);
  const response = completeResponse(framework, () => 1);
  await auditor.put(`/api/audits/${draftId}`).set('X-CSRF-Token', csrf).send({ version: 0, response });
  await auditor
    .post(`/api/audits/${submittedId}/submit`)
    .set('X-CSRF-Token', csrf)
    .send({ version: 0, response })
    .expect(200);
});
afterAll(() => ctx.close());

/**
 * Changes to an audit that take no version, and why. Everything else that writes to an audit must say
 * which version it was based on.
 */
const EXEMPT: Record<string, string> = {
  'post /audits/:id/safeguarding': 'a concern is added beside the audit and must never be refused',
  'post /api/audits/:id/safeguarding-concerns':
    'a concern is added beside the audit and must never be refused',
  'post /api/audits/:id/moderation': 'moderation records its own stages, under a row lock',
  'post /api/audits/:id/reallocate': 'who audits it is the round’s plan, not the audit’s content',
};

const changes = () =>
  listRoutes(ctx.app).filter(
    (r) => r.method !== 'get' && /^(\/api)?\/audits\/:id/.test(r.path) && !EXEMPT[`${r.method} ${r.path}`],
  );

async function snapshot(id: number) {
  return {
    audit: await ctx.db.knex('audit').where({ id }).first('lock_version', 'status', 'current_revision'),
    revisions: await ctx.db.knex('audit_revision').where({ audit_id: id }).orderBy('revision'),
    changes: await ctx.db
      .knex('audit_event')
      .where({ record_id: String(id) })
      .whereNot('action', 'like', '%.view')
      .count('* as n'),
  };
}

describe('every change to an audit', () => {
  it('is found among the app’s routes', () => {
    expect(changes().map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['put /api/audits/:id', 'post /audits/:id/reopen', 'post /audits/:id/submit']),
    );
  });

  it('is refused without the version it was based on, changing nothing', async () => {
    const section = framework.sections[0]?.id as string;
    const grade = completeResponse(framework, () => 1).sections?.[section];
    for (const route of changes()) {
      const id = route.path.endsWith('/reopen') ? submittedId : draftId;
      const path = fillPath(route.path, { id, sectionId: section });
      const before = await snapshot(id);
      const api = path.startsWith('/api/');
      const res = await auditor[route.method](path)
        .set('X-CSRF-Token', csrf)
        .type(api ? 'json' : 'form')
        .send(
          api
            ? { response: completeResponse(framework, () => 1), reason: 'A date was wrong' }
            : {
                grade: grade?.grade,
                rationale: grade?.rationale,
                reason: 'A date was wrong',
                overallGrade: 'good',
              },
        );
      expect({ route: path, status: res.status }).toEqual({ route: path, status: 422 });
      expect(api ? JSON.stringify(res.body.errors) : res.text).toContain('version');
      expect(await snapshot(id)).toEqual(before);
    }
  });
});
