import request from 'supertest';
import { createApp } from '../../src/app';
import { createInfrastructure } from '../../src/infrastructure';
import { createLogger } from '../../src/logger';
import { createServices } from '../../src/services';
import { createTestContext, csrfTokenIn, DEMO, tokenFor, type TestContext } from '../support/app';

/**
 * Rate limits on sign-in and on API tokens: counted in PostgreSQL, so two app servers on one database count
 * the same attempts; over a limit the answer is 429 with Retry-After, whatever the attempt.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({
    env: {
      RATE_LIMIT_SIGN_IN_PER_ADDRESS: '6',
      RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '3',
      RATE_LIMIT_TOKEN_FAILURES_PER_ADDRESS: '4',
    },
  });
});
afterAll(() => ctx.close());

/** A second app server on the same database, as behind a load balancer. */
const secondServer = () => {
  const infrastructure = createInfrastructure(ctx.config, createLogger('silent'), ctx.db.knex);
  return createApp(infrastructure, createServices(infrastructure));
};

async function signIn(app: typeof ctx.app, email: string) {
  const user = await ctx.services.users.findByEmail(email);
  const agent = request.agent(app);
  const page = await agent.get('/sign-in').expect(200);
  return agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), userId: String(user?.id) });
}

describe('rate limits', () => {
  it('limit sign-in attempts by account and by address, across app servers, with Retry-After', async () => {
    const other = secondServer();
    for (const app of [ctx.app, other, ctx.app]) expect((await signIn(app, DEMO.auditor)).status).toBe(302);
    const limited = await signIn(other, DEMO.auditor);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.text).toContain('too many attempts');
    // Other accounts from the same address, until the address's own limit (six attempts, refused ones too).
    expect((await signIn(ctx.app, DEMO.director)).status).toBe(302);
    expect((await signIn(other, DEMO.admin)).status).toBe(302);
    expect((await signIn(ctx.app, DEMO.moderator)).status).toBe(429);
  });

  it('count refused API tokens by address, then refuse even a valid token from it, on every server', async () => {
    const token = await tokenFor(ctx, DEMO.admin);
    const other = secondServer();
    await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    for (const app of [ctx.app, other, ctx.app, other])
      await request(app).get('/api/me').set('Authorization', 'Bearer not-a-token').expect(401);
    const limited = await request(ctx.app)
      .get('/api/me')
      .set('Authorization', 'Bearer not-a-token')
      .expect(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(429);
    // Valid tokens are never counted: a server that has not seen a refusal over the limit still answers them.
    await request(secondServer()).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('keep their counters in PostgreSQL and prune them once their window ends', async () => {
    const keys = await ctx.db.knex('rate_limit').pluck('key');
    expect(keys.some((k: string) => k.startsWith('sign-in-ip:'))).toBe(true);
    expect(keys.some((k: string) => k.startsWith('token-failure-ip:'))).toBe(true);
    await ctx.db.knex('rate_limit').update({ expire: Date.now() - 1 });
    expect(await ctx.infrastructure.rateLimits.prune()).toBe(keys.length);
  });
});
