import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { ROLES } from '../../src/auth/roles';
import { createTestContext, csrfTokenIn, signedInAgent, type TestContext } from '../support/app';
import { fillPath, listRoutes, type RouteInfo } from '../support/routes';

let ctx: TestContext;
let agent: TestAgent;
let csrf: string;
beforeAll(async () => {
  ctx = await createTestContext();
  // One user holding every role passes every role check, so what answers is the route's own parsing.
  await ctx.services.users.add(
    { email: 'every.role@example.gov.uk', displayName: 'Every Role', roles: [...ROLES] },
    SYSTEM_ACTOR,
  );
  agent = await signedInAgent(ctx, 'every.role@example.gov.uk');
  csrf = csrfTokenIn((await agent.get('/').expect(200)).text);
});
afterAll(() => ctx.close());

/** Parameters that hold record ids (framework ids and versions, steps and sections are words). */
const ID_PARAMS = ['id', 'auditId'];
const isFrameworkRoute = (path: string) => /^(\/api)?\/frameworks\//.test(path);
const HOSTILE_IDS = ['2147483648', '99999999999', '1e20', '0', '-1', '012', '1.5', 'abc', '9'.repeat(400)];

function call(route: RouteInfo, path: string) {
  const req = agent[route.method](path).set('X-CSRF-Token', csrf);
  return route.method === 'get' ? req : req.send({});
}

describe('record ids in paths', () => {
  const idRoutes = () =>
    listRoutes(ctx.app).filter(
      (r) => !isFrameworkRoute(r.path) && ID_PARAMS.some((p) => r.path.includes(`:${p}`)),
    );

  it('finds the routes that take ids', () => {
    expect(idRoutes().length).toBeGreaterThan(20);
  });

  it.each(HOSTILE_IDS)('answers 404 on every route for the id %s, API and pages alike', async (id) => {
    const failures: string[] = [];
    for (const route of idRoutes()) {
      const path = fillPath(route.path, { id, auditId: id, step: 'scope', sectionId: 'x' });
      const res = await call(route, path);
      if (res.status !== 404) failures.push(`${route.method} ${path}: ${res.status}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('numbers in query strings', () => {
  const cases: [string, string][] = [
    ['/api/cases', 'offset'],
    ['/api/cases', 'limit'],
    ['/api/cases', 'import'],
    ['/api/cases', 'team'],
    ['/api/moderation/statistics', 'round'],
    ['/cases', 'page'],
    ['/cases', 'import'],
    ['/cases', 'team'],
    ['/agreement', 'round'],
    ['/admin/audit-log', 'page'],
  ];

  it.each(cases)('%s?%s= out of range or malformed is a 400 naming the parameter', async (path, name) => {
    for (const value of ['1e20', '2147483648', '-1', 'abc', '1.5']) {
      const res = await agent.get(`${path}?${name}=${encodeURIComponent(value)}`);
      expect({ value, status: res.status }).toEqual({ value, status: 400 });
      if (path.startsWith('/api'))
        expect(res.body.errors).toEqual([expect.objectContaining({ field: name })]);
      else expect(res.text).toContain(name);
    }
    const twice = await agent.get(`${path}?${name}=1&${name}=2`);
    expect(twice.status).toBe(400);
  });

  it('takes in-range values', async () => {
    await agent.get('/api/cases?offset=2147483647&limit=1000').expect(200);
  });
});
