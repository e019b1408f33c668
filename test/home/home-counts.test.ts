import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { mayUse, type Area } from '../../src/auth/access';
import { seedDemoActivity } from '../../src/demo/activity';
import { DEMO_CONCERNS } from '../../src/demo/concerns';
import type { User } from '../../src/users/user';
import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';

/**
 * Every count on the home page equals the number of rows on the list it links to, for every user of the
 * demo, with the demo's full activity seeded (as `npm start` does).
 */

let ctx: TestContext;
const agents = new Map<string, TestAgent>();
const users = new Map<string, User>();

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  await seedDemoActivity(ctx.services, SYSTEM_ACTOR, ctx.infrastructure.db);
  for (const [who, email] of Object.entries(DEMO)) {
    agents.set(who, await signedInAgent(ctx, email));
    users.set(who, (await ctx.services.users.findByEmail(email)) as User);
  }
}, 240_000);
afterAll(() => ctx.close());

/** The lists a home page summarises: where the count links to, and who may open that list. */
const LISTS: { href: string; area: Area; roles?: User['roles'] }[] = [
  { href: '/my-audits#to-do', area: 'myAudits' },
  { href: '/my-audits#submitted', area: 'myAudits' },
  { href: '/moderation', area: 'moderation' },
  { href: '/escalations#to-acknowledge', area: 'escalations', roles: ['team_manager', 'head_of_service'] },
  { href: '/needs-attention', area: 'needsAttention' },
  { href: '/teams', area: 'teams', roles: ['head_of_service', 'admin'] },
  { href: '/admin/users', area: 'admin' },
  { href: '/frameworks', area: 'admin' },
  { href: '/rounds', area: 'rounds' },
  ...['to-verify', 'graded', 'overdue', 'awaiting-response', 'due-soon', 'awaiting-verification', 'open'].map(
    (group) => ({ href: `/actions#${group}`, area: 'actions' as const }),
  ),
];

/** The rows of the list at `href`: of the table in the element its fragment names, or of every table. */
function rowsOf(html: string, fragment: string | undefined): number {
  let scope = html;
  if (fragment) {
    const start = html.indexOf(`id="${fragment}"`);
    if (start < 0) return 0;
    scope = html.slice(start, html.indexOf('</table>', start));
  }
  return [...scope.matchAll(/<tbody[\s\S]*?<\/tbody>/g)].reduce(
    (sum, body) => sum + (body[0].match(/<tr[\s>]/g)?.length ?? 0),
    0,
  );
}

/** The counts the home page shows: each link whose text starts with a number, by where it goes. */
function countsOn(home: string): Map<string, number[]> {
  const counts = new Map<string, number[]>();
  for (const [, href, n] of home.matchAll(/<a class="govuk-link" href="([^"]+)">(\d+)\b/g))
    counts.set(href as string, [...(counts.get(href as string) ?? []), Number(n)]);
  return counts;
}

describe.each(Object.keys(DEMO))('the home page of the demo %s', (who) => {
  it('shows, for each list the user may open, the number of rows on that list (none when it is empty)', async () => {
    const agent = agents.get(who) as TestAgent;
    const user = users.get(who) as User;
    const counts = countsOn((await agent.get('/').expect(200)).text);
    const lists = LISTS.filter(
      (l) => mayUse(user.roles, l.area) && (!l.roles || l.roles.some((r) => user.roles.includes(r))),
    );
    const found: Record<string, object> = {};
    const wanted: Record<string, object> = {};
    for (const list of lists) {
      const [path, fragment] = list.href.split('#');
      const rows = rowsOf((await agent.get(path as string).expect(200)).text, fragment);
      const home = counts.get(list.href) ?? [];
      found[list.href] = { rows, counted: home.length > 0, sameAsRows: home.every((n) => n === rows) };
      wanted[list.href] = { rows, counted: rows > 0, sameAsRows: true };
    }
    expect(found).toEqual(wanted);
    // No count on the page links to a list the table above does not check.
    expect([...counts.keys()].filter((href) => !lists.some((l) => l.href === href))).toEqual([]);
  });
});

describe('the demo has something to count for every role that summarises a list', () => {
  const count = async (who: string, href: string) =>
    countsOn((await (agents.get(who) as TestAgent).get('/').expect(200)).text).get(href)?.[0] ?? 0;

  it.each([
    ['auditor', '/my-audits#to-do'],
    ['auditor', '/my-audits#submitted'],
    ['moderator', '/my-audits#to-do'],
    ['moderator', '/moderation'],
    ['teamManager', '/my-audits#to-do'],
    ['headOfService', '/moderation'],
    ['headOfService', '/teams'],
    ['admin', '/teams'],
    ['admin', '/rounds'],
  ])('%s: %s', async (who, href) => {
    expect(await count(who, href)).toBeGreaterThan(0);
  });

  it.each(['teamManager', 'teamManagerOnly', 'headOfService'])(
    '%s: lists their teams’ audits graded inadequate this month',
    async (who) => {
      const home = (await (agents.get(who) as TestAgent).get('/').expect(200)).text;
      expect(rowsOf(home, 'inadequate-this-month')).toBeGreaterThan(0);
    },
  );

  it('sends the first concern to Hassan Campbell and Fiona Gallagher: she has seen it, he has not', async () => {
    const [routed, unrouted] = DEMO_CONCERNS;
    const hassan = await ctx.services.escalations.inbox(users.get('teamManagerOnly') as User);
    expect(hassan.toAcknowledge.map((e) => e.teamName)).toEqual([routed.team]);
    expect(hassan.acknowledged).toEqual([]);
    const fiona = await ctx.services.escalations.inbox(users.get('headOfService') as User);
    expect(fiona.acknowledged.map((e) => e.teamName)).toEqual([routed.team]);
    // The second reached Fiona, and nobody as team manager: it is on the administrators' list.
    expect(fiona.toAcknowledge.map((e) => e.teamName)).toEqual([unrouted.team]);
    const needs = await ctx.services.escalations.needsAttention(users.get('admin') as User);
    expect(needs.map((e) => [e.teamName, e.role])).toEqual([[unrouted.team, 'team_manager']]);
    expect(await count('teamManagerOnly', '/escalations#to-acknowledge')).toBe(1);
    expect(await count('headOfService', '/escalations#to-acknowledge')).toBe(1);
    expect(await count('admin', '/needs-attention')).toBe(1);
  });
});
