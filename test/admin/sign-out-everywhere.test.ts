import request from 'supertest';
import {
  createTestContext,
  csrfTokenIn,
  DEMO,
  signedInAgent,
  tokenFor,
  type TestContext,
} from '../support/app';

/** An administrator ends every session a user holds, at once, from their page or the API. */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const idOf = async (email: string) => (await ctx.services.users.findByEmail(email))?.id as number;

describe('signing a user out everywhere', () => {
  it('ends every session of theirs from their page, logged, leaving the administrator signed in', async () => {
    const [laptop, phone] = [await signedInAgent(ctx, DEMO.auditor), await signedInAgent(ctx, DEMO.auditor)];
    await laptop.get('/my-audits').expect(200);
    const admin = await signedInAgent(ctx, DEMO.admin);
    const id = await idOf(DEMO.auditor);
    const page = await admin.get(`/admin/users/${id}`).expect(200);
    expect(page.text).toContain('out everywhere');
    await admin
      .post(`/admin/users/${id}/sign-out`)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text) })
      .expect(303);
    const after = await admin.get(`/admin/users/${id}`).expect(200);
    expect(after.text).toMatch(/signed out everywhere \(2 sessions ended\)/);
    for (const agent of [laptop, phone])
      expect((await agent.get('/my-audits')).headers.location).toMatch(/^\/sign-in/);
    const event = await ctx.db
      .knex('audit_event')
      .where({ action: 'user.sign_out_everywhere', record_id: String(id) })
      .first();
    expect(event.summary).toEqual({ sessionsEnded: 2 });
  });

  it('is an administrator’s alone, through the API too', async () => {
    const id = await idOf(DEMO.moderator);
    await signedInAgent(ctx, DEMO.moderator);
    const auditorToken = await tokenFor(ctx, DEMO.auditor);
    await request(ctx.app)
      .post(`/api/users/${id}/sign-out`)
      .set('Authorization', `Bearer ${auditorToken}`)
      .expect(403);
    const adminToken = await tokenFor(ctx, DEMO.admin);
    const res = await request(ctx.app)
      .post(`/api/users/${id}/sign-out`)
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(200);
    expect(res.body.sessionsEnded).toBe(1);
    await request(ctx.app)
      .post('/api/users/999999/sign-out')
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(404);
  });
});
