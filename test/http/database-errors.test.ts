import knex from 'knex';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createKnex } from '../../src/db/connection';
import { freePort } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';
import { createTestContext, DEMO, signedInAgent, tokenFor, type TestContext } from '../support/app';

/**
 * Real errors from PostgreSQL, node-postgres and knex, raised where a service would meet them, must reach
 * the person as a 503 with Retry-After (the database cannot be reached) or a 400 (it refused a value in the
 * request), in the API and on pages: never a 500.
 */

let ctx: TestContext;
let adminToken: string;
let admin: TestAgent;

beforeAll(async () => {
  ctx = await createTestContext();
  adminToken = await tokenFor(ctx, DEMO.admin);
  admin = await signedInAgent(ctx, DEMO.admin);
});
afterAll(() => ctx.close());

async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error('no error was raised');
}

/** The test's own failing connections say so on the console otherwise. */
const quiet = createLogger('silent');

const unavailable: [string, () => Promise<unknown>][] = [
  [
    'a refused connection',
    async () => {
      const nobody = createKnex({ url: `postgres://x:y@127.0.0.1:${await freePort()}/x`, logger: quiet });
      return errorOf(() => nobody.raw('select 1')).finally(() => nobody.destroy());
    },
  ],
  [
    'a connection the server terminates (57P01)',
    async () => {
      const sleeping = ctx.db.knex.raw("select pg_sleep(10), 'sleeper' as name");
      const err = errorOf(() => sleeping);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await ctx.db.knex.raw(
        "select pg_terminate_backend(pid) from pg_stat_activity where query like '%''sleeper''%' and pid <> pg_backend_pid()",
      );
      return err;
    },
  ],
  [
    'no connection free in the pool (KnexTimeoutError)',
    async () => {
      const small = knex({
        client: 'pg',
        connection: ctx.db.url,
        pool: { min: 0, max: 1 },
        acquireConnectionTimeout: 100,
        log: { warn: () => {}, error: () => {}, debug: () => {}, deprecate: () => {} },
      });
      const held = await small.transaction();
      const err = await errorOf(() => small.raw('select 1'));
      await held.rollback();
      await small.destroy();
      return err;
    },
  ],
];

const refusedValues: [string, () => Promise<unknown>][] = [
  ['a number out of range (22003)', () => errorOf(() => ctx.db.knex.raw('select 2147483648::int'))],
  ['text that is not a number (22P02)', () => errorOf(() => ctx.db.knex.raw("select 'seven'::int"))],
  ['a NUL byte (22021)', () => errorOf(() => ctx.db.knex.raw('select ?::text', ['a\u0000b']))],
  [
    'a string too long (22001)',
    () =>
      errorOf(() =>
        ctx.db.knex.transaction(async (tx) => {
          await tx.raw('create temporary table short_text (v varchar(2)) on commit drop');
          await tx.raw("insert into short_text values ('abc')");
        }),
      ),
  ],
];

/** Makes the list of rounds (the API's, and the page's with progress) fail with `err`, as the repository would raise it. */
function failRoundsWith(err: unknown) {
  jest.spyOn(ctx.services.rounds, 'list').mockRejectedValue(err);
  jest.spyOn(ctx.services.roundProgress, 'list').mockRejectedValue(err);
}

describe.each(unavailable)('when the database cannot be reached: %s', (_, raise) => {
  let err: unknown;
  beforeAll(async () => {
    err = await raise();
    failRoundsWith(err);
  });

  it('answers the API with 503, Retry-After and problem details', async () => {
    const res = await request(ctx.app)
      .get('/api/audit-rounds')
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(/cannot reach its database/);
  });

  it('answers pages with 503, Retry-After and a plain page', async () => {
    const res = await admin.get('/rounds').expect(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.text).toContain('The service cannot reach its database');
  });

  it('answers 503 when the session, the signed-in user or the API token cannot be looked up', async () => {
    const { sessionStore } = ctx.infrastructure;
    const { users, tokens } = ctx.services;
    const session = jest.spyOn(sessionStore, 'get').mockImplementation((_sid, callback) => callback(err));
    await admin.get('/').expect(503).expect('Retry-After', /^\d+$/);
    session.mockRestore();
    const user = jest.spyOn(users, 'findById').mockRejectedValue(err);
    await admin.get('/').expect(503).expect('Retry-After', /^\d+$/);
    user.mockRestore();
    const token = jest.spyOn(tokens, 'authenticate').mockRejectedValue(err);
    await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${adminToken}`).expect(503);
    token.mockRestore();
    // The outage over, the session is still there: a failed lookup signs nobody out. (Not the home page:
    // the list of rounds it counts still fails in these tests.)
    await admin.get('/frameworks').expect(200);
  });
});

describe.each(refusedValues)('when PostgreSQL refuses a value: %s', (_, raise) => {
  beforeAll(async () => failRoundsWith(await raise()));

  it('answers 400 "a value in the request is not valid", API and pages', async () => {
    const api = await request(ctx.app)
      .get('/api/audit-rounds')
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(400);
    expect(api.body.detail).toBe('A value in the request is not valid.');
    const page = await admin.get('/rounds').expect(400);
    expect(page.text).toContain('A value in the request is not valid.');
  });
});
