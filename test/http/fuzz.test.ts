import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { ROLES } from '../../src/auth/roles';
import { seedDemoActivity } from '../../src/demo/activity';
import { createLogger } from '../../src/logger';
import { createTestContext, sessionHeaders, tokenFor, type TestContext } from '../support/app';
import { FRAMEWORK } from '../support/audits';
import {
  HOSTILE_IDS,
  HOSTILE_QUERIES,
  HOSTILE_QUERY_VALUES,
  draw,
  hostileQueriesFor,
  hugeBody,
  jsonBodies,
  limitInBytes,
  malformedBodies,
  pathWith,
  propertyNames,
  urlencoded,
} from '../support/fuzz';
import { listRoutes, type RouteInfo } from '../support/routes';

/**
 * Every route, found from the app's router (so new routes are covered as they are added), with malformed
 * bodies, hostile ids and hostile query strings, as a user holding every role (session cookie and CSRF
 * header, and API token) and as nobody. Whatever comes back, it must not be a 5xx.
 */

const EMAIL = 'fuzz.every-role@example.gov.uk';

let ctx: TestContext;
let server: http.Server;
let base: string;
let token: string;
/** A real value for each path parameter, by the route it is in: so hostile bodies reach the handlers. */
let realParam: (route: RouteInfo, param: string) => string;
/** Every field name a form or schema in the app uses. */
let fields: string[];
let ids: number[];

interface Who {
  name: string;
  headers: () => Promise<Record<string, string>>;
  api?: boolean;
}

const tally = { requests: 0, failures: [] as string[], refusedByDatabase: 0 };
/** Requests whose value only PostgreSQL refused (the error handler's safety net): validation missed it. */
const refusedByDatabase = new Map<string, string>();
const logs = new Writable({
  write(chunk: Buffer, _encoding, done) {
    const line = JSON.parse(chunk.toString()) as {
      msg?: string;
      requestId?: string;
      err?: { code?: string };
    };
    if (line.msg === 'the database refused a value in the request' && line.requestId)
      refusedByDatabase.set(line.requestId, line.err?.code ?? '');
    done();
  },
});

/** Signs in as the user holding every role. */
async function signIn(): Promise<Record<string, string>> {
  const user = await ctx.services.users.findByEmail(EMAIL);
  return sessionHeaders(base, user?.id ?? 0);
}

/** A fresh session for each route: a route such as sign-out may end the one it was given. */
const SESSION: Who = { name: 'session', headers: signIn };
const TOKEN: Who = {
  name: 'token',
  api: true,
  headers: () => Promise.resolve({ Authorization: `Bearer ${token}` }),
};
const NOBODY: Who = { name: 'nobody', headers: () => Promise.resolve({}) };

async function send(
  who: Who,
  headers: Record<string, string>,
  method: RouteInfo['method'],
  path: string,
  body?: { type: string; body: string | Buffer },
): Promise<void> {
  tally.requests += 1;
  const label = `${who.name} ${method.toUpperCase()} ${path.slice(0, 120)}${body ? ` ${body.type} ${String(body.body).slice(0, 80)}` : ''}`;
  try {
    let req = request(base)[method](path).set(headers).redirects(0);
    if (body) req = req.set('Content-Type', body.type).send(body.body);
    const res = await req;
    if (res.status >= 500) tally.failures.push(`${label} → ${res.status}`);
    const refused = refusedByDatabase.get(String(res.headers['x-request-id']));
    if (refused !== undefined) {
      tally.refusedByDatabase += 1;
      tally.failures.push(`${label} → ${res.status}, refused by the database (${refused}), not validation`);
    }
  } catch (err) {
    tally.failures.push(`${label} → ${(err as Error).message}`);
  }
}

const hasBody = (route: RouteInfo) => route.method !== 'get' && route.method !== 'delete';
const isApi = (route: RouteInfo) => route.path.startsWith('/api/');
const whoFor = (route: RouteInfo) => [SESSION, NOBODY, ...(isApi(route) ? [TOKEN] : [])];
const realPath = (route: RouteInfo) => pathWith(route.path, (param) => realParam(route, param));

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true, logger: createLogger('warn', logs) });
  await seedDemoActivity(ctx.services, SYSTEM_ACTOR, ctx.infrastructure.db);
  const user = await ctx.services.users.add(
    { email: EMAIL, displayName: 'Every Role', roles: [...ROLES] },
    SYSTEM_ACTOR,
  );
  token = await tokenFor(ctx, EMAIL);

  const { knex } = ctx.db;
  const round = await knex('audit_round').orderBy('id').first('id');
  const [own, other] = await knex('audit')
    .where({ round_id: round.id })
    .whereNot({ status: 'submitted' })
    .orderBy('id')
    .limit(2)
    .select('id');
  await ctx.services.rounds.reallocate(own.id, user.id, 'Fuzz testing', SYSTEM_ACTOR);
  const [moderated] = await ctx.services.moderation.queue(user);
  const calibration = await knex('calibration_exercise').first('id');
  const caseImport = await knex('case_import').first('id');
  const team = await knex('team').first('id');
  const stored = await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
  const section = stored.framework.sections[0]?.id ?? 'x';
  ids = [user.id, round.id, own.id, other.id, moderated?.auditId ?? 1, calibration.id, team.id];

  realParam = (route, param) => {
    const { path } = route;
    if (param === 'auditId') return String(other.id);
    if (param === 'sectionId') return section;
    if (param === 'step') return 'name';
    if (param === 'format') return 'csv';
    if (param === 'version') return FRAMEWORK.version;
    if (/frameworks\/:id/.test(path)) return FRAMEWORK.id;
    if (/(rounds|audit-rounds)\/:id/.test(path)) return String(round.id);
    if (/imports\/:id/.test(path)) return String(caseImport.id);
    if (/calibrations?\/:id/.test(path)) return String(calibration.id);
    if (/teams\/:id/.test(path)) return String(team.id);
    if (/moderation/.test(path)) return String(moderated?.auditId ?? own.id);
    if (/reallocate/.test(path)) return String(other.id);
    return String(own.id);
  };

  server = http.createServer(ctx.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The names the app's own forms and response schemas use, so generated bodies reach past "unknown field".
  const names = new Set([
    ...propertyNames(ctx.services.frameworks.responseSchema(stored, 'draft')),
    ...['version', 'response', 'reason', 'details', 'auditorUserId', 'grades', 'agreed', 'summary'],
    ...['name', 'caseRef', 'frameworkId', 'frameworkVersion', 'dueDate', 'auditorUserIds', 'seed'],
    ...['filters', 'size', 'stratifyBy', 'exclusions', 'auditors', 'dryRun', 'moderation'],
    ...['samplePercent', 'allInadequate', 'allOutstanding', 'blind', 'userId', 'returnTo'],
  ]);
  const session = await signIn();
  for (const route of listRoutes(ctx.app).filter((r) => r.method === 'get' && !isApi(r))) {
    const page = await request(base).get(realPath(route)).set(session).redirects(0);
    for (const match of page.text.matchAll(/name="([^"]+)"/g)) names.add(match[1] as string);
  }
  names.delete('_csrf');
  fields = [...names];
}, 180_000);

afterAll(async () => {
  console.log(
    `fuzz: ${tally.requests.toLocaleString('en-GB')} requests, ` +
      `${tally.failures.length - tally.refusedByDatabase} responses 5xx, ` +
      `${tally.refusedByDatabase} values refused by the database rather than validation`,
  );
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

/**
 * Runs the requests route by route, each route's with a fresh session, and returns what answered 5xx. Reads
 * run a few at a time; changes one at a time, so that what a run finds does not depend on timing.
 */
async function fuzzRoutes(
  routes: RouteInfo[],
  requests: (route: RouteInfo, who: Who) => [path: string, body?: { type: string; body: string | Buffer }][],
): Promise<string[]> {
  const before = tally.failures.length;
  for (const route of routes) {
    for (const who of whoFor(route)) {
      const headers = await who.headers();
      const queue = requests(route, who);
      const worker = async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift())
          await send(who, headers, route.method, next[0], next[1]);
      };
      await Promise.all(Array.from({ length: route.method === 'get' ? 6 : 1 }, worker));
    }
  }
  return tally.failures.slice(before);
}

describe('fuzzing every route', () => {
  it('finds the routes, API and pages', () => {
    const routes = listRoutes(ctx.app);
    expect(routes.filter(isApi).length).toBeGreaterThan(20);
    expect(routes.filter(hasBody).length).toBeGreaterThan(25);
  });

  it('answers malformed and generated bodies with a 4xx or success, never a 5xx', async () => {
    const limit = limitInBytes(ctx.config.bodyLimit);
    const fixed = malformedBodies(fields);
    const huge = { type: 'application/json', body: hugeBody(fields.slice(0, 8), limit - 64) };
    const generated = draw(jsonBodies(fields, ids), 20).map((value) => ({
      type: 'application/json',
      body: JSON.stringify(value),
    }));
    const forms = draw(urlencoded(fields), 10).map((body) => ({
      type: 'application/x-www-form-urlencoded',
      body,
    }));
    const failures = await fuzzRoutes(listRoutes(ctx.app).filter(hasBody), (route, who) =>
      [...fixed, ...(who === SESSION ? [huge, ...generated, ...forms] : [])].map((body) => [
        realPath(route),
        body,
      ]),
    );
    expect(failures).toEqual([]);
  }, 600_000);

  it('answers hostile ids in every path parameter with a 4xx, never a 5xx', async () => {
    const routes = listRoutes(ctx.app).filter((r) => r.path.includes(':'));
    const failures = await fuzzRoutes(routes, (route) => {
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
      return HOSTILE_IDS.flatMap((id) => [
        pathWith(route.path, () => id),
        // One parameter hostile and the others real, so the hostile one is what the handler meets.
        ...(params.length > 1
          ? params.map((p) => pathWith(route.path, (q) => (q === p ? id : realParam(route, q))))
          : []),
      ]).map((path) => [path, hasBody(route) ? { type: 'application/json', body: '{}' } : undefined]);
    });
    expect(failures).toEqual([]);
  }, 600_000);

  it('answers hostile query strings with a 4xx or success, never a 5xx', async () => {
    const names = ['page', 'import', 'team', 'type', 'limit', 'offset', 'round', 'action'];
    const more = ['variant', 'format', 'filename', 'returnTo', 'mode', 'unknownTeams', '_csrf'];
    const queries = [
      ...HOSTILE_QUERIES,
      ...hostileQueriesFor([...names, ...more]),
      ...[...names, ...more].flatMap(HOSTILE_QUERY_VALUES),
      ...draw(urlencoded([...names, ...more]), 10),
    ];
    const routes = listRoutes(ctx.app).filter((r) => r.method === 'get');
    const failures = await fuzzRoutes(routes, (route, who) =>
      (who === SESSION ? queries : HOSTILE_QUERIES).map((query) => [`${realPath(route)}?${query}`]),
    );
    expect(failures).toEqual([]);
  }, 600_000);
});
