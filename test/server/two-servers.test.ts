import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { createTestContext, DEMO, sessionHeaders, UNLIMITED, type TestContext } from '../support/app';
import { newPerson, responseTo, samlEnv, startSignIn } from '../support/saml';
import { startServer, waitFor, type ServerProcess } from '../support/server-process';

/**
 * Two real app servers on one PostgreSQL, as behind a load balancer: whatever one server knows that the
 * other must honour (sessions, single sign-on requests, revocations, scheduled jobs) lives in the database.
 */
const sharedEnv = (ctx: TestContext, extra: Record<string, string> = {}) => ({
  DATABASE_URL: ctx.db.url,
  SEED_DEMO: '0',
  // Every server of one service shares the secret that signs session cookies.
  SESSION_SECRET: randomBytes(32).toString('hex'),
  JOB_POLL_SECONDS: '1',
  ...UNLIMITED,
  ...extra,
});

async function startPair(env: Record<string, string>): Promise<[ServerProcess, ServerProcess]> {
  // Started together, as a rolling deployment does: start-up migrations queue on their lock.
  const [a, b] = await Promise.all([startServer(env, 60_000), startServer(env, 60_000)]);
  return [a, b];
}

async function stopAll(servers: ServerProcess[]): Promise<void> {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.exited));
}

const me = (server: ServerProcess, headers: Record<string, string>) =>
  request(server.url).get('/api/me').set(headers);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * The status a server answers `/api/me` with once a change has reached it. Each server forgets who it cached
 * when PostgreSQL delivers the change's notification, a moment after the commit (milliseconds; longer only
 * when the machine is very busy): a request sent at once may overtake it, never by more than this allows.
 */
async function meOnceNotified(server: ServerProcess, headers: Record<string, string>): Promise<number> {
  let { status } = await me(server, headers);
  for (let waited = 0; status === 200 && waited < 2000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    ({ status } = await me(server, headers));
  }
  return status;
}

describe('two app servers with sign-in by form', () => {
  let ctx: TestContext;
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    ctx = await createTestContext();
    [a, b] = await startPair(sharedEnv(ctx));
  }, 120_000);
  afterAll(async () => {
    await stopAll([a, b]);
    await ctx.close();
  });

  const userId = async (email: string) => (await ctx.services.users.findByEmail(email))?.id as number;

  it('honours on one server a session signed in on the other', async () => {
    const headers = await sessionHeaders(a.url, await userId(DEMO.auditor));
    expect((await me(b, headers).expect(200)).body).toMatchObject({ email: DEMO.auditor });
    expect((await request(b.url).get('/').set(headers)).status).toBe(200);
  });

  it('refuses on one server, once the change is notified (milliseconds), a token revoked while the other used it', async () => {
    const { token, record } = await ctx.services.tokens.create({ email: DEMO.moderator }, SYSTEM_ACTOR);
    await me(a, bearer(token)).expect(200);
    await me(b, bearer(token)).expect(200);
    // Tokens are revoked by the command line, a third process on the same database.
    await ctx.services.tokens.revoke(record.id, SYSTEM_ACTOR);
    expect(await meOnceNotified(b, bearer(token))).toBe(401);
    expect(await meOnceNotified(a, bearer(token))).toBe(401);
  });

  it('refuses on one server the token and session of a user an admin deactivated on the other', async () => {
    const victim = DEMO.teamManagerOnly;
    const { token } = await ctx.services.tokens.create({ email: victim }, SYSTEM_ACTOR);
    const session = await sessionHeaders(a.url, await userId(victim));
    await me(b, bearer(token)).expect(200);
    await me(b, session).expect(200);

    const admin = await sessionHeaders(a.url, await userId(DEMO.admin));
    await request(a.url)
      .post(`/api/users/${await userId(victim)}/deactivate`)
      .set(admin)
      .expect(200);

    expect(await meOnceNotified(b, bearer(token))).toBe(401);
    expect(await meOnceNotified(b, session)).toBe(401);
  });

  it('keeps one schedule per queue, and gives a job to exactly one server', async () => {
    const schedules = await ctx.db.knex('pgboss.schedule').select('name').orderBy('name');
    expect(schedules.length).toBeGreaterThan(0);
    expect(new Set(schedules.map((s) => s.name)).size).toBe(schedules.length);

    // A tick of the nightly retention schedule: the one job it puts on the queue.
    const dryRuns = () => ctx.db.knex('audit_event').where('action', 'retention.dry_run').count('* as n');
    const before = Number((await dryRuns())[0]?.n);
    const [job] = await ctx.db
      .knex('pgboss.job')
      .insert({ name: 'retention-sweep', data: {} })
      .returning('id');
    await waitFor(async () => {
      const row = await ctx.db.knex('pgboss.job').where('id', job.id).first('state');
      return row?.state === 'completed';
    }, 30_000);
    const ran = (server: ServerProcess) =>
      server.logs.filter((line) => line.msg === 'retention dry run recorded').length;
    // The log line may reach this process a moment after the job's completion reached the database.
    await waitFor(() => ran(a) + ran(b) > 0, 10_000);
    expect(ran(a) + ran(b)).toBe(1);
    expect(Number((await dryRuns())[0]?.n)).toBe(before + 1);
  });
});

describe('two app servers with single sign-on', () => {
  let ctx: TestContext;
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    ctx = await createTestContext({ env: samlEnv() });
    [a, b] = await startPair(sharedEnv(ctx, samlEnv()));
  }, 120_000);
  afterAll(async () => {
    await stopAll([a, b]);
    await ctx.close();
  });

  it('accepts on one server the answer to a sign-in request the other sent, once', async () => {
    const { requestId, relayState } = await startSignIn(request(a.url), '/my-audits');
    const sam = newPerson(['CaseAudit.Auditor']);
    const posted = {
      SAMLResponse: Buffer.from(responseTo(requestId, sam).xml, 'utf8').toString('base64'),
      RelayState: relayState,
    };
    const res = await request(b.url).post('/auth/saml/callback').type('form').send(posted).expect(302);
    expect(res.headers.location).toBe('/my-audits');
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] ?? '';
    // The session it began is good on the server that sent the request too.
    expect((await me(a, { Cookie: cookie }).expect(200)).body).toMatchObject({ email: sam.email });
    // The request is used up on every server.
    await request(a.url).post('/auth/saml/callback').type('form').send(posted).expect(401);
  });
});
