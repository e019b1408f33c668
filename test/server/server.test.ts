import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { createTestContext, DEMO, type TestContext } from '../support/app';
import { createEmptyDatabase } from '../support/database';
import { runServer, startServer, waitFor } from '../support/server-process';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('the server process', () => {
  it('finishes a request in flight on SIGTERM, refuses new ones, then exits cleanly', async () => {
    const { token } = await ctx.services.tokens.create({ email: DEMO.admin }, SYSTEM_ACTOR);
    const server = await startServer({ DATABASE_URL: ctx.db.url });
    await request(server.url).get('/health').expect(200);

    // Hold a lock the request needs, so it is still in flight when the signal arrives.
    const blocker = await ctx.db.knex.transaction();
    await blocker.raw('lock table app_user in access exclusive mode');
    const inFlight = request(server.url).get('/api/me').set('Authorization', `Bearer ${token}`);
    let settled = false;
    const response = inFlight.then((res) => {
      settled = true;
      return res;
    });
    // In flight: its query waits for the lock in this test's database.
    await waitFor(async () => {
      const waiting = await ctx.db
        .knex('pg_locks as l')
        .join('pg_database as d', 'd.oid', 'l.database')
        .where({ 'l.granted': false, 'd.datname': ctx.db.name })
        .first('l.pid');
      return waiting !== undefined;
    }, 10_000);
    server.child.kill('SIGTERM');
    await waitFor(
      () => server.logs.some((line) => line.msg === 'shutting down: finishing requests in flight'),
      10_000,
    );
    // New connections are refused while the request is still held.
    await waitFor(
      () =>
        request(server.url)
          .get('/ping')
          .then(
            () => false,
            (err: Error) => /ECONNREFUSED/.test(err.message),
          ),
      10_000,
    );
    expect(settled).toBe(false);
    expect(server.logs.map((line) => line.msg)).not.toContain('stopped');
    await blocker.commit();

    expect((await response).status).toBe(200);
    expect(await server.exited).toBe(0);
    expect(server.logs.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['shutting down: finishing requests in flight', 'stopped']),
    );
  });

  it('logs requests with their id, and never a query string, body or header', async () => {
    // Requests that went well are logged at debug.
    const server = await startServer({ DATABASE_URL: ctx.db.url, LOG_LEVEL: 'debug' });
    const res = await request(server.url)
      .get('/sign-in?email=child.name@example.org')
      .set('Cookie', 'secret=1');
    server.child.kill('SIGTERM');
    await server.exited;
    const line = server.logs.find((l) => l.msg === 'request completed');
    expect(line).toMatchObject({
      requestId: res.headers['x-request-id'],
      req: { method: 'GET', path: '/sign-in' },
    });
    const all = JSON.stringify(server.logs);
    expect(all).not.toContain('child.name');
    expect(all).not.toContain('secret=1');
  });

  it('stops start-up with a clear message when a migration fails, and serves nothing', async () => {
    const db = await createEmptyDatabase();
    await db.knex.schema.createTable('locality', (t) => t.increments('id'));
    const run = runServer({ DATABASE_URL: db.url });
    expect(await run.exited).toBe(1);
    const fatal = run.logs.find((line) => line.level === 60);
    // The message names the failure; quoted names and values are left out of logs (src/log-redaction.ts).
    expect(fatal?.msg).toMatch(/^start-up stopped: Database migration failed: .*already exists/);
    expect(fatal?.err).toMatchObject({ type: 'MigrationError', cause: { code: '42P07' } });
    expect(await db.knex('pg_tables').where({ tablename: 'team' }).first()).toBeUndefined();
    await db.drop();
  });

  it('refuses to start with invalid configuration, listing every problem', async () => {
    const run = runServer({ PORT: 'eighty', NODE_ENV: 'production' });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('PORT: must be integer (got "eighty")');
  });

  it('refuses the embedded database in production', async () => {
    const run = runServer({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40) });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('DATABASE_URL: is required when NODE_ENV=production');
  });
});
