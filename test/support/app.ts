import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/app';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { loadConfig, type Config } from '../../src/config';
import { DEMO_USERS, identityOf, type DemoUser } from '../../src/demo/organisation';
import { seedDemoActivity } from '../../src/demo/activity';
import { seedDemo } from '../../src/demo/seed';
import { createInfrastructure, type Infrastructure } from '../../src/infrastructure';
import { createLogger, type Logger } from '../../src/logger';
import { FRAMEWORKS_DIR } from '../../src/paths';
import { createServices, type Services } from '../../src/services';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestContext {
  db: TestDatabase;
  infrastructure: Infrastructure;
  services: Services;
  app: Express;
  config: Config;
  close(): Promise<void>;
}

/** Rate limits no test reaches unless it sets its own. */
export const UNLIMITED = {
  RATE_LIMIT_SIGN_IN_PER_ADDRESS: '1000000',
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '1000000',
  RATE_LIMIT_TOKEN_FAILURES_PER_ADDRESS: '1000000',
};

/**
 * A real app on its own real database, with the demo organisation and users seeded unless told not to.
 * `activity` seeds what `npm start` does besides (the case list, audit rounds, grading and moderation),
 * and loads the frameworks it needs.
 */
export async function createTestContext(
  options: {
    seed?: boolean;
    frameworks?: boolean;
    activity?: boolean;
    env?: Record<string, string>;
    logger?: Logger;
  } = {},
): Promise<TestContext> {
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    // A test file signs in hundreds of times a minute from one address: limits are tested on their own.
    ...UNLIMITED,
    ...options.env,
  });
  const infrastructure = createInfrastructure(config, options.logger ?? createLogger('silent'), db.knex);
  const services = createServices(infrastructure);
  if (options.frameworks || options.activity)
    await services.frameworks.loadDirectory(FRAMEWORKS_DIR, SYSTEM_ACTOR);
  if (options.seed !== false) await seedDemo(infrastructure.db, services.activityLog, SYSTEM_ACTOR);
  if (options.activity) await seedDemoActivity(services, SYSTEM_ACTOR, infrastructure.db);
  return {
    db,
    infrastructure,
    services,
    app: createApp(infrastructure, services),
    config,
    close: async () => {
      await infrastructure.identityCache.close();
      await db.drop();
    },
  };
}

/**
 * Sets up, for the test file calling it, a context and an API token for the demo admin before its tests,
 * and drops the database after them. The fields are filled in once the tests run.
 */
export function contextWithAdminToken(): { readonly ctx: TestContext; readonly adminToken: string } {
  const setup = {} as { ctx: TestContext; adminToken: string };
  beforeAll(async () => {
    setup.ctx = await createTestContext();
    setup.adminToken = (await setup.ctx.services.tokens.create({ email: DEMO.admin }, SYSTEM_ACTOR)).token;
  });
  afterAll(() => setup.ctx.close());
  return setup;
}

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token in the page');
  return match[1];
}

/** A new API token for the user with this email. */
export async function tokenFor(ctx: TestContext, email: string): Promise<string> {
  return (await ctx.services.tokens.create({ email }, SYSTEM_ACTOR)).token;
}

/**
 * A supertest agent signed in as the user with this email, through the real sign-in form: of the test's
 * app, or of a server running as a process (its URL).
 */
export async function signedInAgent(
  ctx: TestContext,
  email: string,
  target: Express | string = ctx.app,
): Promise<TestAgent> {
  const user = await ctx.services.users.findByEmail(email);
  if (!user) throw new Error(`no user ${email}`);
  const agent = request.agent(target);
  const page = await agent.get('/sign-in').expect(200);
  await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), userId: String(user.id), returnTo: '/' })
    .expect(302);
  return agent;
}

const cookieOf = (res: request.Response): string | undefined =>
  (res.headers['set-cookie'] as unknown as string[] | undefined)?.[0]?.split(';')[0];

/**
 * Signs in through the sign-in form, on an app or a running server's URL, and returns the session cookie and
 * CSRF token as the headers a request needs, for tests that send each request themselves.
 */
export async function sessionHeaders(
  target: Express | string,
  userId: number,
): Promise<Record<string, string>> {
  const page = await request(target).get('/sign-in').expect(200);
  const signedIn = await request(target)
    .post('/sign-in')
    .set('Cookie', cookieOf(page) ?? '')
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), userId: String(userId), returnTo: '/' })
    .expect(302);
  const cookie = cookieOf(signedIn) ?? '';
  const home = await request(target).get('/').set('Cookie', cookie).expect(200);
  return { Cookie: cookie, 'X-CSRF-Token': csrfTokenIn(home.text) };
}

/** Demo users' emails by the role they are there to show. */
export const DEMO = {
  admin: identityOf(DEMO_USERS[0] as DemoUser).email,
  auditor: identityOf(DEMO_USERS[1] as DemoUser).email,
  moderator: identityOf(DEMO_USERS[2] as DemoUser).email,
  teamManager: identityOf(DEMO_USERS[3] as DemoUser).email,
  teamManagerOnly: identityOf(DEMO_USERS[4] as DemoUser).email,
  headOfService: identityOf(DEMO_USERS[5] as DemoUser).email,
  director: identityOf(DEMO_USERS[6] as DemoUser).email,
} as const;
