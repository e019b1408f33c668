import request from 'supertest';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { eventMark, eventsSince } from '../support/events';
import { samlEnv } from '../support/saml';

/** What production needs besides its secret: single sign-on, where users reach it, and how mail goes. */
const PRODUCTION_MAIL = {
  ...samlEnv(),
  PUBLIC_URL: 'https://case-audit.council.gov.uk',
  MAIL_TRANSPORT: 'outbox',
};

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('content security policy', () => {
  it('allows scripts only from this origin or with a fresh nonce, never unsafe-inline', async () => {
    const a = await request(ctx.app).get('/sign-in').expect(200);
    const b = await request(ctx.app).get('/sign-in').expect(200);
    const csp = a.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{22}'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toBe(b.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const inlineScripts = a.text.match(/<script(?![^>]*src=)[^>]*>/g) ?? [];
    expect(inlineScripts.length).toBeGreaterThan(0);
    for (const tag of inlineScripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it('sets the other protective headers', async () => {
    const res = await request(ctx.app).get('/sign-in');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['permissions-policy']).toMatch(/(^|, )camera=\(\)/);
    expect(res.headers['permissions-policy']).toMatch(/(^|, )geolocation=\(\)/);
  });
});

describe('CSRF protection', () => {
  it('refuses a form post without the token, and changes nothing', async () => {
    const agent = request.agent(ctx.app);
    await agent.get('/sign-in').expect(200);
    const before = await ctx.db.knex('audit_event').count('* as n').first();
    const res = await agent.post('/sign-in').type('form').send({ userId: '1' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form had expired or did not come from this service');
    expect(await ctx.db.knex('audit_event').count('* as n').first()).toEqual(before);
  });

  it('refuses a token from another session', async () => {
    const mine = request.agent(ctx.app);
    await mine.get('/sign-in');
    const theirs = await request.agent(ctx.app).get('/sign-in');
    const res = await mine
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenIn(theirs.text), userId: '1' });
    expect(res.status).toBe(403);
  });

  it('protects signed-in API calls made with the session cookie too', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    await agent.post('/sign-out').expect(403);
    const home = await agent.get('/').expect(200);
    await agent.post('/sign-out').set('X-CSRF-Token', csrfTokenIn(home.text)).expect(302);
  });
});

describe('session cookie', () => {
  it('is HttpOnly and SameSite=Lax, with idle expiry', async () => {
    const res = await request(ctx.app).get('/sign-in');
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0] as string;
    expect(cookie).toMatch(/^case-audit\.sid=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toMatch(/Expires=/);
  });

  it('is Secure with the __Host- prefix in production, behind a TLS-terminating proxy', async () => {
    const prod = await createTestContext({
      seed: false,
      env: { NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(40), ...PRODUCTION_MAIL, TRUST_PROXY: '1' },
    });
    const res = await request(prod.app).get('/sign-in').set('X-Forwarded-Proto', 'https').expect(200);
    expect(res.text).toContain('Sign in with your council account');
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0] as string;
    expect(cookie).toMatch(/^__Host-case-audit=/);
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('Path=/');
    expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
    await prod.close();
  });
});

describe('dev sign-in', () => {
  it('offers no form and accepts no sign-in in production, even with a valid CSRF token', async () => {
    const prod = await createTestContext({
      env: { NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(40), ...PRODUCTION_MAIL, TRUST_PROXY: '1' },
    });
    try {
      // Behind a TLS-terminating proxy, as in production, so the Secure session cookie is set.
      const https = (req: request.Test) => req.set('X-Forwarded-Proto', 'https');
      const page = await https(request(prod.app).get('/sign-in')).expect(200);
      expect(page.text).not.toContain('name="userId"');
      expect(page.text).not.toContain('name="_csrf"');
      const cookie = (page.headers['set-cookie'] as unknown as string[] | undefined)?.[0]?.split(';')[0];
      expect(cookie).toMatch(/^__Host-case-audit=/);
      // No page offers the token, so take it from the session the sign-in page started, as a forger who
      // had it would send it.
      const sid = /^s:([^.]+)\./.exec(decodeURIComponent((cookie as string).split('=')[1] as string))?.[1];
      const stored = await prod.db.knex('session').where({ sid }).first();
      const csrf = stored?.sess?.csrfToken as string;
      expect(csrf).toMatch(/^[0-9a-f]{32,}$/);
      const admin = await prod.services.users.findByEmail(DEMO.admin);
      const mark = await eventMark(prod.db.knex);
      const post = () =>
        https(request(prod.app).post('/sign-in'))
          .set('Cookie', cookie as string)
          .type('form')
          .send({ _csrf: csrf, userId: String(admin?.id), returnTo: '/teams' });
      // Without the token the post is refused before any route.
      await https(request(prod.app).post('/sign-in'))
        .set('Cookie', cookie as string)
        .type('form')
        .send({ userId: String(admin?.id) })
        .expect(403);
      // There is no such route: the visitor, still not signed in, is sent to the sign-in page (a sign-in
      // would have sent them on to /teams).
      expect((await post().expect(302)).headers.location).toBe('/sign-in');
      expect(await eventsSince(prod.db.knex, mark)).toEqual([]);
      expect((await prod.db.knex('session').where({ sid }).first())?.user_id ?? null).toBeNull();
      const home = await https(request(prod.app).get('/'))
        .set('Cookie', cookie as string)
        .expect(302);
      expect(home.headers.location).toBe('/sign-in?returnTo=%2F');
      expect((await prod.services.users.findById(admin?.id as number))?.lastSignedInAt ?? null).toBeNull();
    } finally {
      await prod.close();
    }
  });
});

describe('unexpected errors', () => {
  const breakHealth = (context: TestContext) => {
    context.services.health.check = () => Promise.reject(new Error('secret internals at /srv/app.js:12'));
  };

  it('show a plain message and an error id, never internals, in production', async () => {
    const prod = await createTestContext({
      seed: false,
      env: { NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(40), ...PRODUCTION_MAIL },
    });
    breakHealth(prod);
    const res = await request(prod.app).get('/health').expect(500);
    expect(res.text).toContain('Sorry, there is a problem with the service');
    expect(res.text).toMatch(/quote error reference <strong>[0-9A-Z]{8}<\/strong>/);
    expect(res.text).not.toContain('secret internals');
    expect(res.text).not.toContain('app.js');
    await prod.close();
  });

  it('show the stack in development only', async () => {
    const dev = await createTestContext({ seed: false, env: { NODE_ENV: 'development' } });
    breakHealth(dev);
    const res = await request(dev.app).get('/health').expect(500);
    expect(res.text).toContain('secret internals');
    await dev.close();
  });
});
