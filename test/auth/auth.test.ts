import request from 'supertest';
import { createApp } from '../../src/app';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { eventMark, eventsSince } from '../support/events';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('dev sign-in', () => {
  it('lists the demo users with their roles', async () => {
    const page = await request(ctx.app).get('/sign-in').expect(200);
    expect(page.text).toContain('Development sign-in');
    expect(page.text).toContain('Sam Patel');
    expect(page.text).toContain('Auditor, Moderator');
  });

  it('shows an error summary linked to the field when no user is chosen', async () => {
    const agent = request.agent(ctx.app);
    const page = await agent.get('/sign-in');
    const res = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text) })
      .expect(422);
    expect(res.text).toContain('<title>Error: Sign in – Case Audit</title>');
    expect(res.text).toContain('<a href="#userId">Select the user you want to sign in as</a>');
    expect(res.text).toContain('id="userId-error"');
  });

  it('signs in, records it in the audit log, and returns to the page asked for', async () => {
    const user = await ctx.services.users.findByEmail(DEMO.admin);
    const agent = request.agent(ctx.app);
    const page = await agent.get('/sign-in?returnTo=%2Fteams');
    expect(page.text).toContain('name="returnTo" value="/teams"');
    const mark = await eventMark(ctx.db.knex);
    const res = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), userId: String(user?.id), returnTo: '/teams' })
      .expect(302);
    expect(res.headers.location).toBe('/teams');
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([
      expect.objectContaining({
        action: 'user.sign_in',
        actorUserId: user?.id,
        recordType: 'app_user',
        recordId: String(user?.id),
        summary: { method: 'dev' },
        requestId: res.headers['x-request-id'],
      }),
    ]);
    const after = await ctx.services.users.findById(user?.id as number);
    expect(after?.lastSignedInAt).toBeInstanceOf(Date);
  });

  it('never redirects to another site after sign-in', async () => {
    const user = await ctx.services.users.findByEmail(DEMO.admin);
    for (const returnTo of [
      '//evil.example',
      'https://evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      const agent = request.agent(ctx.app);
      const page = await agent.get('/sign-in');
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfTokenIn(page.text), userId: String(user?.id), returnTo })
        .expect(302);
      expect(res.headers.location).toBe('/');
    }
  });

  it('issues a new session id at sign-in (no session fixation)', async () => {
    const agent = request.agent(ctx.app);
    const page = await agent.get('/sign-in');
    const before = (page.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0];
    const user = await ctx.services.users.findByEmail(DEMO.auditor);
    const res = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), userId: String(user?.id) });
    const after = (res.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0];
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('signs out, ending the session and recording it', async () => {
    const agent = await signedInAgent(ctx, DEMO.auditor);
    const home = await agent.get('/').expect(200);
    const aisha = await ctx.services.users.findByEmail(DEMO.auditor);
    const mark = await eventMark(ctx.db.knex);
    const res = await agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfTokenIn(home.text) })
      .expect(302);
    expect(res.headers.location).toBe('/sign-in');
    const signIn = await agent.get('/sign-in').expect(200);
    expect(signIn.text).toContain('You have signed out.');
    await agent.get('/').expect(302);
    expect(await eventsSince(ctx.db.knex, mark, 'user.sign_out')).toEqual([
      expect.objectContaining({ actorUserId: aisha?.id, requestId: res.headers['x-request-id'] }),
    ]);
  });
});

describe('sessions', () => {
  it('end after the absolute limit however active they are', async () => {
    const agent = await signedInAgent(ctx, DEMO.director);
    await agent.get('/').expect(200);
    await ctx.db.knex.raw(
      `update session set sess = jsonb_set(sess, '{signedInAt}', to_jsonb((extract(epoch from now()) * 1000 - 11 * 3600 * 1000)::bigint))
       where user_id = (select id from app_user where email = ?)`,
      [DEMO.director],
    );
    const res = await agent.get('/').expect(302);
    expect(res.headers.location).toBe('/sign-in');
    const page = await agent.get('/sign-in');
    expect(page.text).toContain('You were signed out because you signed in more than 10 hours ago');
  });

  it('end after the idle timeout', async () => {
    const agent = await signedInAgent(ctx, DEMO.moderator);
    await agent.get('/').expect(200);
    await ctx.db.knex('session').update({ expires_at: ctx.db.knex.raw("now() - interval '1 second'") });
    await agent.get('/').expect(302);
  });

  it('end at once for a user who is deactivated', async () => {
    const user = await ctx.services.users.findByEmail(DEMO.teamManagerOnly);
    const agent = await signedInAgent(ctx, DEMO.teamManagerOnly);
    await agent.get('/').expect(200);
    await ctx.db.knex('app_user').where({ id: user?.id }).update({ active: false });
    await agent.get('/').expect(302);
    await ctx.db.knex('app_user').where({ id: user?.id }).update({ active: true });
  });

  it('are kept in PostgreSQL, so another server instance can serve them', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const cookie = (await agent.get('/').expect(200)).request.cookies;
    const otherInstance = createApp(ctx.infrastructure, ctx.services);
    await request(otherInstance).get('/').set('Cookie', cookie).expect(200);
  });
});
