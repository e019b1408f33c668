import { randomUUID } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';
import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';
import { linksIn } from '../support/crawl';
import { formIn } from '../support/forms';

/**
 * One view, one event: a form posted records the change it makes, never a view; the page it leads to
 * records its own (every page's views: test/http/every-page.test.ts).
 */

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ activity: true });
}, 120_000);
afterAll(() => ctx.close());

async function viewsBy(requestIds: string[]) {
  return ctx.db
    .knex('audit_event')
    .whereIn('request_id', requestIds)
    .andWhereLike('action', '%.view')
    .select('request_id as requestId', 'action', 'record_id as recordId')
    .count<{ requestId: string; action: string; recordId: string; count: string }[]>('* as count')
    .groupBy('request_id', 'action', 'record_id');
}

describe('a form posted to an audit', () => {
  let agent: TestAgent;
  let auditId: number;
  beforeAll(async () => {
    agent = await signedInAgent(ctx, DEMO.auditor);
    const auditor = await ctx.services.users.findByEmail(DEMO.auditor);
    const open = await ctx.db
      .knex('audit')
      .where({ auditor_user_id: auditor!.id })
      .whereNot({ status: 'submitted' })
      .first('id');
    auditId = open.id as number;
  });

  /** Each page of the audit's form with its action: the task list links to every section and the overall grade. */
  async function formPages(): Promise<string[]> {
    const taskList = await agent.get(`/audits/${auditId}`).expect(200);
    return [...new Set(linksIn(taskList.text).filter((l) => l.startsWith(`/audits/${auditId}/`)))].filter(
      (l) => /\/(sections\/[^/]+|overall)$/.test(l),
    );
  }

  it('is the change it makes, not a view; the page it leads to is one view', async () => {
    const pages = await formPages();
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      const html = (await agent.get(page).expect(200)).text;
      const fields = formIn(html, page);
      const asTyped = randomUUID();
      await agent
        .post(page)
        .set('X-Request-Id', asTyped)
        .set('Accept', 'application/json')
        .type('form')
        .send(fields)
        .expect(200);
      const saved = randomUUID();
      const res = await agent.post(page).set('X-Request-Id', saved).type('form').send(fields);
      expect([200, 302, 303]).toContain(res.status);
      expect(await viewsBy([asTyped, saved])).toEqual([]);
      if (res.status !== 200) {
        const next = randomUUID();
        await agent.get(res.headers.location as string).set('X-Request-Id', next);
        expect((await viewsBy([next])).map((v) => Number(v.count))).toEqual([1]);
      }
    }
  });
});
