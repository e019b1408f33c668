import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import { rankedLevels } from '../../src/frameworks/scales';
import { scaleById } from '../../src/frameworks/overall-grade';
import { gradedItems } from '../../src/moderation/service';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { fillPath, listRoutes } from '../support/routes';

let ctx: TestContext;
let moderator: TestAgent;
let auditId: number;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  const { framework } = await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
  const {
    auditIds: [id = 0],
  } = await roundForAuditor(ctx.services, {
    name: 'Blind round',
    moderation: { samplePercent: 0, allInadequate: true, allOutstanding: false, blind: true },
  });
  auditId = id;
  const worst = rankedLevels(scaleById(framework, framework.overall.scale)).length - 1;
  const auditor = await ctx.services.users.findByEmail(DEMO.auditor);
  const submitted = await ctx.services.audits.submit(
    auditId,
    { version: 0, response: completeResponse(framework, () => worst) },
    auditor!,
    SYSTEM_ACTOR,
  );
  expect(submitted.moderation).toEqual({ reason: 'inadequate' });
  await ctx.services.users.add(
    { email: 'blind.moderator@example.gov.uk', displayName: 'Blind Moderator', roles: ['moderator'] },
    SYSTEM_ACTOR,
  );
  moderator = await signedInAgent(ctx, 'blind.moderator@example.gov.uk');
});
afterAll(() => ctx.close());

/** Anything that would tell the moderator why the audit was selected, and so the auditor's grade. */
const GIVES_REASON_AWAY = /Graded inadequate|"reason":"inadequate"/;

describe('a blind moderation before the moderator has graded', () => {
  it('shows, on every page and API the moderator can open, that the audit was selected but not why', async () => {
    const queue = (await moderator.get('/api/moderation/queue').expect(200)).body.queue;
    expect(queue).toEqual([expect.objectContaining({ auditId, reason: 'selected', blind: true })]);
    const page = await moderator.get('/moderation').expect(200);
    expect(page.text).toContain('Selected for moderation');

    let opened = 0;
    for (const route of listRoutes(ctx.app).filter((r) => r.method === 'get')) {
      const path = fillPath(route.path, { id: auditId, sectionId: 'recording', step: 'scope' });
      const res = await moderator.get(path);
      if (res.status !== 200) continue;
      opened += 1;
      expect({ path, body: GIVES_REASON_AWAY.test(res.text || JSON.stringify(res.body)) }).toEqual({
        path,
        body: false,
      });
    }
    expect(opened).toBeGreaterThan(5);
  });

  it('gives the reason once the moderator has recorded their own grades', async () => {
    const { framework } = await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
    const csrf = csrfTokenIn((await moderator.get('/').expect(200)).text);
    await moderator
      .post(`/api/audits/${auditId}/moderation`)
      .set('X-CSRF-Token', csrf)
      .send({ grades: Object.fromEntries(gradedItems(framework).map((i) => [i.id, 'good'])) })
      .expect(200);
    const detail = (await moderator.get(`/api/audits/${auditId}/moderation`).expect(200)).body;
    expect(detail.moderation.reason).toBe('inadequate');
    expect((await moderator.get(`/moderation/audits/${auditId}`).expect(200)).text).toContain(
      'Graded inadequate',
    );
  });
});
