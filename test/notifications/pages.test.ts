import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';

/** The notification settings every user has, and the admins' outbox: plain forms, no JavaScript needed. */

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const userOf = async (email: string) => {
  const user = await ctx.services.users.findByEmail(email);
  if (!user) throw new Error(`no user ${email}`);
  return user;
};

describe('notification settings', () => {
  it.each(Object.entries(DEMO))(
    'are there for every user (%s), linked beside their name',
    async (_role, email) => {
      const agent = await signedInAgent(ctx, email);
      expect((await agent.get('/').expect(200)).text).toContain('href="/account/notifications"');
      const page = await agent.get('/account/notifications').expect(200);
      expect(page.text).toContain('An email for each notification');
      expect(page.text).toMatch(/value="each" checked/);
    },
  );

  it('change to a daily digest and back, each change in the audit log', async () => {
    const manager = await userOf(DEMO.teamManagerOnly);
    const agent = await signedInAgent(ctx, DEMO.teamManagerOnly);
    const page = await agent.get('/account/notifications');
    await agent
      .post('/account/notifications')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), delivery: 'digest' })
      .expect(303)
      .expect('Location', '/account/notifications');
    const after = await agent.get('/account/notifications').expect(200);
    expect(after.text).toContain('You will receive one email each working day at 7am');
    expect(after.text).toMatch(/value="digest"[^>]*checked/);
    expect(await ctx.services.notifications.dailyDigest(manager)).toBe(true);
    await agent
      .post('/account/notifications')
      .type('form')
      .send({ _csrf: csrfTokenIn(after.text), delivery: 'each' })
      .expect(303);
    expect(await ctx.services.notifications.dailyDigest(manager)).toBe(false);
    const logged = await ctx.db
      .knex('audit_event')
      .where({ action: 'notification_preference.change', record_id: String(manager.id) });
    expect(logged).toHaveLength(2);
  });

  it('refuse a choice that is not offered with an error summary, changing nothing', async () => {
    const agent = await signedInAgent(ctx, DEMO.auditor);
    const page = await agent.get('/account/notifications');
    const refused = await agent
      .post('/account/notifications')
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), delivery: 'weekly' })
      .expect(422);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).toContain('href="#delivery"');
    expect(await ctx.services.notifications.dailyDigest(await userOf(DEMO.auditor))).toBe(false);
  });
});

describe('the outbox', () => {
  it('lists every message for admins, and shows each as it was written', async () => {
    const manager = await userOf(DEMO.teamManagerOnly);
    await ctx.infrastructure.db.transaction((tx) =>
      ctx.services.notifications.notify(tx, [
        {
          kind: 'remediation.verify',
          recipientUserIds: [manager.id],
          message: {
            subject: 'Actions to verify: a case you audited in Family Safeguarding South 1',
            body: 'Check it.',
          },
          path: '/actions',
          record: { type: 'remediation', id: 1 },
        },
      ]),
    );
    const agent = await signedInAgent(ctx, DEMO.admin);
    const list = await agent.get('/admin/outbox').expect(200);
    expect(list.text).toContain('nothing is emailed');
    expect(list.text).toContain('Actions to verify: a case you audited in Family Safeguarding South 1');
    expect(list.text).toContain('Queued');
    const id = (await ctx.db.knex('notification').orderBy('id', 'desc').first('id')).id as number;
    const message = await agent.get(`/admin/outbox/${id}`).expect(200);
    expect(message.text).toContain('Check it.');
    expect(message.text).toContain('http://localhost:3000/actions');
    expect(message.text).toContain('Message-ID');
    await agent.get('/admin/outbox/99999999').expect(404);
  });

  it.each(Object.entries(DEMO).filter(([role]) => role !== 'admin'))(
    'is for admins only: refused to the %s',
    async (_role, email) => {
      const agent = await signedInAgent(ctx, email);
      await agent.get('/admin/outbox').expect(403);
      await agent.get('/admin/outbox/1').expect(403);
    },
  );
});
