import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { hashToken } from '../../src/tokens/service';
import { createTestContext, DEMO, signedInAgent, type TestContext } from '../support/app';
import { eventMark, eventsSince } from '../support/events';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const create = (email: string, expires?: string) =>
  ctx.services.tokens.create({ email, name: 'test client', ...(expires ? { expires } : {}) }, SYSTEM_ACTOR);

describe('API bearer tokens', () => {
  it('authenticate as their user, with that user’s roles', async () => {
    const { token } = await create(DEMO.moderator);
    const res = await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toMatchObject({
      email: DEMO.moderator,
      roles: ['auditor', 'moderator'],
      authenticatedWith: 'token',
    });
  });

  it('are stored only as a hash, with a recognisable prefix', async () => {
    const { token, record } = await create(DEMO.admin);
    expect(token).toMatch(/^cat_[A-Za-z0-9_-]{43}$/);
    const row = await ctx.db.knex('api_token').where({ id: record.id }).first();
    expect(row.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.token_prefix).toBe(token.slice(0, 12));
  });

  it('stop working once revoked, and the revocation is audited', async () => {
    const { token, record } = await create(DEMO.admin);
    await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    const sam = await ctx.services.users.findByEmail(DEMO.admin);
    const mark = await eventMark(ctx.db.knex);
    await ctx.services.tokens.revoke(record.id, {
      kind: 'user',
      userId: sam!.id,
      tokenId: null,
      requestId: null,
    });
    const res = await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(res.body.detail).toMatch(/unknown, revoked or expired/);
    expect(await eventsSince(ctx.db.knex, mark)).toEqual([
      expect.objectContaining({
        action: 'api_token.revoke',
        recordId: String(record.id),
        actorUserId: sam!.id,
      }),
    ]);
  });

  it('stop working when they expire', async () => {
    const { token, record } = await create(DEMO.admin, '1h');
    expect(record.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    await ctx.db
      .knex('api_token')
      .where({ id: record.id })
      .update({ expires_at: ctx.db.knex.raw("now() - interval '1 second'") });
    await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('stop working when their user is deactivated', async () => {
    const { token } = await create(DEMO.teamManagerOnly);
    await ctx.db.knex('app_user').where({ email: DEMO.teamManagerOnly }).update({ active: false });
    await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
    await ctx.db.knex('app_user').where({ email: DEMO.teamManagerOnly }).update({ active: true });
  });

  it('refuse malformed Authorization headers instead of falling back to a session', async () => {
    for (const header of ['Basic abc', 'Bearer', 'Bearer cat_short', 'bearer x y']) {
      await request(ctx.app).get('/api/me').set('Authorization', header).expect(401);
    }
  });

  it('record when they were last used', async () => {
    const { token, record } = await create(DEMO.director);
    await request(ctx.app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    const row = await ctx.db.knex('api_token').where({ id: record.id }).first();
    expect(row.last_used_at).toBeInstanceOf(Date);
  });

  it('are not accepted for web pages, only for /api', async () => {
    const { token } = await create(DEMO.admin);
    await request(ctx.app).get('/teams').set('Authorization', `Bearer ${token}`).expect(302);
  });

  it('need no CSRF token, since no cookie is involved', async () => {
    const { token } = await create(DEMO.admin);
    const user = (email: string) => ({ email, displayName: 'Bearer Made', roles: ['director'] });
    // With the session cookie the same change is refused without the token, and nothing is made.
    const session = await signedInAgent(ctx, DEMO.admin);
    await session.post('/api/users').send(user('by.cookie@demoshire.example')).expect(403);
    expect(await ctx.services.users.findByEmail('by.cookie@demoshire.example')).toBeUndefined();
    const res = await request(ctx.app)
      .post('/api/users')
      .set('Authorization', `Bearer ${token}`)
      .send(user('by.bearer@demoshire.example'))
      .expect(201);
    expect(await ctx.services.users.findByEmail('by.bearer@demoshire.example')).toMatchObject({
      id: res.body.id,
    });
  });

  it('cannot be created with a bad expiry or for an unknown user', async () => {
    await expect(create(DEMO.admin, '30 days')).rejects.toThrow('The expiry is not valid.');
    await expect(create('nobody@x.example')).rejects.toThrow(
      'There is no user with the email nobody@x.example.',
    );
  });
});
