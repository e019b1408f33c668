import pg from 'pg';
import request from 'supertest';
import { createTestContext, sessionHeaders, tokenFor, type TestContext } from '../support/app';

/**
 * Who a request acts as is cached by each server, and forgotten the moment anything it is built from
 * changes anywhere. Here the change is made as another server or a command would make it, on a connection
 * of its own, so this server hears of it only by PostgreSQL's NOTIFY; the very next request must see it.
 */

let ctx: TestContext;
let other: pg.Client;
let serial = 0;

beforeAll(async () => {
  ctx = await createTestContext();
  other = new pg.Client({ connectionString: ctx.db.url });
  await other.connect();
  await ctx.infrastructure.identityCache.start();
});
afterAll(async () => {
  await other.end();
  await ctx.close();
});

/**
 * The status `ask` answers with, once it is `expected`. PostgreSQL delivers a notification when the
 * listening session's process next runs, a moment after the commit: on a busy machine a request sent at
 * once can overtake it, never by more than this allows.
 */
async function answered(ask: () => Promise<{ status: number }>, expected: number): Promise<number> {
  let status = (await ask()).status;
  for (let waited = 0; status !== expected && waited < 2000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    status = (await ask()).status;
  }
  return status;
}

/** A new admin with an API token, asked for something once so that both are cached. */
async function cachedAdmin() {
  serial++;
  const email = `cached.admin.${serial}@example.gov.uk`;
  const [user] = await ctx.db
    .knex('app_user')
    .insert({ email, display_name: `Cached Admin ${serial}`, active: true })
    .returning<{ id: number }[]>('id');
  const userId = (user as { id: number }).id;
  await ctx.db.knex('user_role').insert({ user_id: userId, role_code: 'admin' });
  const token = await tokenFor(ctx, email);
  const tokenId = (await ctx.db.knex('api_token').where({ user_id: userId }).first('id')).id as number;
  const asToken = () => request(ctx.app).get('/api/users').set('authorization', `Bearer ${token}`);
  const session = await sessionHeaders(ctx.app, userId);
  const asSession = () => request(ctx.app).get('/api/users').set(session);
  expect((await asToken()).status).toBe(200);
  expect((await asToken()).status).toBe(200);
  expect((await asSession()).status).toBe(200);
  return { userId, tokenId, asToken, asSession };
}

const CHANGES: {
  name: string;
  sql: string;
  id: 'userId' | 'tokenId';
  token: number;
  session: number;
}[] = [
  {
    name: 'the token revoked',
    sql: 'update api_token set revoked_at = now() where id = $1',
    id: 'tokenId',
    token: 401,
    session: 200,
  },
  {
    name: 'the user deactivated',
    sql: 'update app_user set active = false where id = $1',
    id: 'userId',
    token: 401,
    session: 401,
  },
  {
    name: 'the admin role taken away',
    sql: `delete from user_role where user_id = $1 and role_code = 'admin'`,
    id: 'userId',
    token: 403,
    session: 403,
  },
];

describe.each(CHANGES)('$name by another server', ({ sql, id, token, session }) => {
  it(`is seen by the next request: ${token} with the token, ${session} with a session`, async () => {
    const admin = await cachedAdmin();
    await other.query(sql, [admin[id]]);
    expect(await answered(admin.asToken, token)).toBe(token);
    expect(await answered(admin.asSession, session)).toBe(session);
  });
});

it('keeps nothing while it cannot hear of changes, and hears them again once reconnected', async () => {
  const admin = await cachedAdmin();
  const listeners = (what: string) =>
    other.query(
      `select ${what} from pg_stat_activity
        where datname = current_database() and application_name = 'case-audit-listener'`,
    );
  expect((await listeners('pg_terminate_backend(pid)')).rowCount).toBe(1);
  // The server learns its listener was cut off when the connection's error reaches it.
  await new Promise((resolve) => setTimeout(resolve, 200));
  // While the listener is down, a change is seen all the same: nothing is served from the cache.
  await other.query(`delete from user_role where user_id = $1 and role_code = 'admin'`, [admin.userId]);
  expect((await admin.asToken()).status).toBe(403);
  await other.query(`insert into user_role (user_id, role_code) values ($1, 'admin')`, [admin.userId]);
  expect((await admin.asToken()).status).toBe(200);
  // It reconnects by itself (within a second), and caches again: then changes arrive by NOTIFY.
  for (let i = 0; i < 50 && (await listeners('pid')).rowCount === 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  await admin.asToken();
  await other.query(`update api_token set revoked_at = now() where id = $1`, [admin.tokenId]);
  expect(await answered(admin.asToken, 401)).toBe(401);
});
