import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../src/logger';
import { createTestContext, type TestContext } from '../support/app';
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
  urlencoded,
} from '../support/fuzz';
import { countFuzzCases } from '../support/fuzz-tally';
import { fuzzTargets, hasBody, isApi, type FuzzTargets } from '../support/fuzz-targets';
import { listRoutes, type RouteInfo } from '../support/routes';

/**
 * Every route, found from the app's router (so new routes are covered as they are added), with malformed
 * bodies, hostile ids and hostile query strings, as a user holding every role (session cookie and CSRF
 * header, and API token) and as nobody. Whatever comes back, it must not be a 5xx.
 */

let ctx: TestContext;
let server: http.Server;
let base: string;
let targets: FuzzTargets;

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

/** A fresh session for each route: a route such as sign-out may end the one it was given. */
const SESSION: Who = { name: 'session', headers: () => targets.signIn() };
const TOKEN: Who = {
  name: 'token',
  api: true,
  headers: () => Promise.resolve({ Authorization: `Bearer ${targets.token}` }),
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

const whoFor = (route: RouteInfo) => [SESSION, NOBODY, ...(isApi(route) ? [TOKEN] : [])];
const realPath = (route: RouteInfo) => targets.realPath(route);

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true, logger: createLogger('warn', logs) });
  server = http.createServer(ctx.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  targets = await fuzzTargets(ctx, base);
}, 180_000);

afterAll(async () => {
  console.log(
    `fuzz: ${tally.requests.toLocaleString('en-GB')} requests, ` +
      `${tally.failures.length - tally.refusedByDatabase} responses 5xx, ` +
      `${tally.refusedByDatabase} values refused by the database rather than validation`,
  );
  countFuzzCases({
    file: 'every route',
    cases: tally.requests,
    serverErrors: tally.failures.length - tally.refusedByDatabase,
  });
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
    const { fields, ids } = targets;
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
          ? params.map((p) => pathWith(route.path, (q) => (q === p ? id : targets.realParam(route, q))))
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
