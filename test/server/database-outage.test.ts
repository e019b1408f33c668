import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { ROLES } from '../../src/auth/roles';
import { loadConfig } from '../../src/config';
import { createKnex } from '../../src/db/connection';
import { createInfrastructure } from '../../src/infrastructure';
import { createLogger } from '../../src/logger';
import { createServices } from '../../src/services';
import { sessionHeaders } from '../support/app';
import { postgresUrl, restartPostgres, stopPostgres } from '../support/postgres-outage';
import { fillPath, listRoutes, type RouteInfo } from '../support/routes';
import { startServer, waitFor, type ServerProcess } from '../support/server-process';

/**
 * A real server whose PostgreSQL (a throwaway embedded cluster of this test's own) stops: every route, asked
 * by a signed-in user with a session cookie and with an API token, answers 503 with Retry-After if it needs
 * the database, never a 500; and once PostgreSQL is back, the same requests work again.
 */

/** Mounted before sessions: served without the database. */
const WITHOUT_DATABASE = ['/ping', '/info', '/assets/govuk-frontend.min.js'];

let dataDir: string;
let server: ServerProcess;
let routes: RouteInfo[];
let token: string;
let userId: number;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'case-audit-outage-'));
  await chmod(dataDir, 0o755);
  server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: '0' });
  const url = postgresUrl(dataDir);
  const knex = createKnex({ url, poolMax: 2 });
  try {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'silent' });
    const infrastructure = createInfrastructure(config, createLogger('silent'), knex);
    const services = createServices(infrastructure);
    const email = 'outage.every-role@example.gov.uk';
    userId = (await services.users.add({ email, displayName: 'Every Role', roles: [...ROLES] }, SYSTEM_ACTOR))
      .id;
    token = (await services.tokens.create({ email }, SYSTEM_ACTOR)).token;
    // Signing out ends the session the other requests use: it goes last.
    routes = listRoutes(createApp(infrastructure, services)).sort(
      (a, b) => Number(a.path === '/sign-out') - Number(b.path === '/sign-out'),
    );
  } finally {
    await knex.destroy();
  }
}, 60_000);

afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await rm(dataDir, { recursive: true, force: true });
});

interface Answer {
  who: 'session' | 'token';
  route: RouteInfo;
  status: number;
  retryAfter: string | undefined;
}

async function askEveryRoute(session: Record<string, string>): Promise<Answer[]> {
  const answers: Answer[] = [];
  const ways = { session, token: { Authorization: `Bearer ${token}` } };
  for (const route of routes) {
    const path = fillPath(route.path, { id: 1, auditId: 1, version: '1.0.0', format: 'csv', step: 'name' });
    for (const [who, headers] of Object.entries(ways) as [Answer['who'], Record<string, string>][]) {
      const req = request(server.url)[route.method](path).set(headers).redirects(0);
      const res = route.method === 'get' ? await req : await req.send({});
      answers.push({ who, route, status: res.status, retryAfter: res.headers['retry-after'] });
    }
  }
  return answers;
}

const describe503 = (a: Answer) =>
  `${a.who} ${a.route.method.toUpperCase()} ${a.route.path}: ${a.status}${a.retryAfter ? ` Retry-After ${a.retryAfter}` : ''}`;

/** What needs the database: everything a session cookie comes with (the session is in it), and the API. */
const needsDatabase = (a: Answer) =>
  !WITHOUT_DATABASE.includes(a.route.path) && (a.who === 'session' || a.route.path.startsWith('/api/'));

it('answers 503 with Retry-After on every route that needs the database, never 500, and recovers', async () => {
  const session = await sessionHeaders(server.url, userId);
  const port = await stopPostgres(dataDir);

  const down = await askEveryRoute(session);
  expect(down.length).toBeGreaterThan(150);
  const wrong = down.filter((a) =>
    needsDatabase(a)
      ? a.status !== 503 || !/^\d+$/.test(a.retryAfter ?? '')
      : a.status >= 500 && !(a.status === 503 && a.retryAfter),
  );
  expect(wrong.map(describe503)).toEqual([]);
  expect(down.filter(needsDatabase).length).toBeGreaterThan(100);
  expect(server.child.exitCode).toBeNull();
  expect(server.logs.filter((line) => (line.level as number) >= 50)).toEqual([]);
  // Every line is a JSON log line: the database client's own warnings too.
  expect(server.logs.filter((line) => line.level === undefined)).toEqual([]);

  const restarted = await restartPostgres(dataDir, port);
  try {
    await waitFor(async () => (await request(server.url).get('/health')).status === 200, 15000);
    // The session from before the outage still signs the user in.
    const me = await request(server.url).get('/api/me').set(session).expect(200);
    expect(me.body).toMatchObject({ id: userId, authenticatedWith: 'session' });
    const up = await askEveryRoute(session);
    expect(up.filter((a) => a.status >= 500).map(describe503)).toEqual([]);
  } finally {
    await restarted.stop();
  }
}, 180_000);
