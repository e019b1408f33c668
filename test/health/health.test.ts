import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { createTestContext, type TestContext } from '../support/app';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ seed: false });
});
afterAll(() => ctx.close());

describe('operational endpoints', () => {
  it('answers /ping without touching the database', async () => {
    const res = await request(ctx.app).get('/ping').expect(200);
    expect(res.body).toEqual({ status: 'UP' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('reports the database in /health', async () => {
    const res = await request(ctx.app).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'UP', checks: { database: { status: 'UP' } } });
  });

  it('reports DOWN while shutting down, so load balancers stop sending requests', async () => {
    const other = await createTestContext({ seed: false });
    other.services.health.markShuttingDown();
    await request(other.app).get('/health').expect(503);
    await other.close();
  });

  it('gives version and commit in /info', async () => {
    const res = await request(ctx.app).get('/info').expect(200);
    expect(res.body).toMatchObject({ name: 'case-audit', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(res.body.gitCommit).toMatch(/^([0-9a-f]{40}|unknown)$/);
  });
});

describe('request ids', () => {
  it('puts a fresh request id on every response', async () => {
    const a = await request(ctx.app).get('/ping');
    const b = await request(ctx.app).get('/ping');
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it("keeps a proxy's well-formed request id and replaces a malformed one", async () => {
    const kept = await request(ctx.app).get('/ping').set('X-Request-Id', 'lb-123.abc');
    expect(kept.headers['x-request-id']).toBe('lb-123.abc');
    const replaced = await request(ctx.app).get('/ping').set('X-Request-Id', '<script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors', () => {
  it('answers unknown API routes with RFC 9457 problem details and an error id', async () => {
    const res = await request(ctx.app)
      .get('/api/nothing-here')
      .set('Authorization', 'Bearer cat_' + 'a'.repeat(43));
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Sign in required',
      status: 401,
      detail: 'The API token is not valid: it is unknown, revoked or expired.',
      instance: '/api/nothing-here',
      errorId: expect.stringMatching(/^[0-9A-Z]{8}$/),
    });
  });

  it('answers an unknown API route with 404 problem details to a caller with a valid token', async () => {
    const user = await ctx.services.users.add(
      { email: 'api.client@demoshire.example', displayName: 'Api Client', roles: ['admin'] },
      SYSTEM_ACTOR,
    );
    const { token } = await ctx.services.tokens.create({ email: user.email }, SYSTEM_ACTOR);
    const auth = { Authorization: `Bearer ${token}` };
    // The token is valid: a route that exists answers it.
    await request(ctx.app).get('/api/me').set(auth).expect(200);
    for (const [method, path] of [
      ['get', '/api/nothing-here'],
      ['post', '/api/nothing-here'],
      ['get', '/api/users/1/nothing-here'],
    ] as const) {
      const res = await request(ctx.app)[method](path).set(auth);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 404,
        instance: path,
        errorId: expect.stringMatching(/^[0-9A-Z]{8}$/),
      });
    }
  });

  it('sends people who are not signed in to the sign-in page, remembering where they were going', async () => {
    const res = await request(ctx.app).get('/teams?x=1').expect(302);
    expect(res.headers.location).toBe('/sign-in?returnTo=%2Fteams%3Fx%3D1');
  });

  it('serves public pages to anyone, and sends anonymous visitors of other pages to sign in', async () => {
    const page = await request(ctx.app).get('/privacy').expect(200);
    expect(page.text).toContain('govuk-template');
    await request(ctx.app).get('/accessibility/nope').expect(302);
  });

  it('answers a missing asset with 404, not a sign-in redirect', async () => {
    await request(ctx.app).get('/assets/images/favicon.ico').expect(200);
    await request(ctx.app).get('/public/stylesheets/application.css').expect(200);
    const res = await request(ctx.app).get('/assets/nope.png').expect(404);
    expect(res.text).toContain('There is nothing at this address.');
  });

  it('refuses malformed JSON with a 400 problem', async () => {
    const res = await request(ctx.app)
      .post('/api/me')
      .set('Content-Type', 'application/json')
      .send('{"broken"');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
  });

  it('refuses bodies over the limit with a 413 problem', async () => {
    const res = await request(ctx.app)
      .post('/api/me')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(res.body.detail).toBe('The request is larger than the limit of 1mb.');
  });
});
