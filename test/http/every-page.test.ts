import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';
import { crawl, visibleText, type CrawledPage } from '../support/crawl';

/**
 * What holds on every page each demo user can reach, found by following links from home: each record
 * shown is one view in the audit log, and dates read the GOV.UK way ("23 December 2026").
 */

let ctx: TestContext;
const pages = new Map<string, CrawledPage[]>();
beforeAll(async () => {
  ctx = await createTestContext({ activity: true });
  for (const [role, email] of Object.entries(DEMO))
    pages.set(role, await crawl(await signedInAgent(ctx, email)));
}, 180_000);
afterAll(() => ctx.close());

describe.each(Object.keys(DEMO))('every page the %s reaches', (role) => {
  const shown = () => pages.get(role) ?? [];

  it('answers without an error', () => {
    expect(shown().length).toBeGreaterThan(3);
    expect(
      shown()
        .filter((p) => p.status >= 500)
        .map((p) => `${p.path}: ${p.status}`),
    ).toEqual([]);
  });

  it('records each record it shows once', async () => {
    const byId = new Map(shown().map((p) => [p.requestId, p.path]));
    const repeated = await ctx.db
      .knex('audit_event')
      .whereIn('request_id', [...byId.keys()])
      .andWhereLike('action', '%.view')
      .select('request_id as requestId', 'action', 'record_id as recordId')
      .count<{ requestId: string; action: string; recordId: string; count: string }[]>('* as count')
      .groupBy('request_id', 'action', 'record_id')
      .havingRaw('count(*) > 1');
    expect(repeated.map((v) => `${byId.get(v.requestId)}: ${v.count} × ${v.action} ${v.recordId}`)).toEqual(
      [],
    );
  });

  it('records the views of what it shows, each as its viewer', async () => {
    const user = await ctx.services.users.findByEmail(DEMO[role as keyof typeof DEMO]);
    const views = await ctx.db
      .knex('audit_event')
      .whereIn(
        'request_id',
        shown().map((p) => p.requestId),
      )
      .andWhereLike('action', '%.view')
      .select('action', 'actor_user_id as actorUserId');
    // Directors see aggregate figures only, never a case-level record; everyone else sees some.
    if (role === 'director') expect(views).toEqual([]);
    else expect(views.length).toBeGreaterThan(0);
    expect(views.filter((v: { actorUserId: number | null }) => v.actorUserId !== user?.id)).toEqual([]);
  });

  it('shows dates the GOV.UK way, never as 2026-12-23', () => {
    const iso = shown().flatMap((p) =>
      [...visibleText(p.html ?? '').matchAll(/.{0,40}\b\d{4}-\d{2}-\d{2}\b.{0,20}/g)].map(
        (m) => `${p.path}: ${m[0]}`,
      ),
    );
    expect(iso).toEqual([]);
  });
});
