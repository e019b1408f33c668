import { createTestContext, DEMO, type TestContext } from '../support/app';
import { startServer, waitFor, type ServerProcess } from '../support/server-process';
import { quickMailEnv, startSmtpServer, type TestSmtpServer } from '../support/smtp';

/**
 * The fault the outbox is built for: the server is killed after the mail server accepted a message and
 * before it marked it sent. Nothing is lost: once a server runs again, the job is retried and the message
 * sent again, with the same Message-ID (so mail clients show it once), and marked sent.
 */

let ctx: TestContext;
let smtp: TestSmtpServer;
let server: ServerProcess | undefined;

beforeAll(async () => {
  ctx = await createTestContext();
  smtp = await startSmtpServer();
});
afterAll(async () => {
  server?.child.kill('SIGKILL');
  await server?.exited;
  await smtp.close();
  await ctx.close();
});

const start = () => startServer({ DATABASE_URL: ctx.db.url, ...quickMailEnv(smtp) });

it('a server killed between the mail server accepting a message and marking it sent loses nothing', async () => {
  server = await start();
  const killed = server;
  smtp.onMessage = () => {
    // The whole message has arrived; the server dies before it hears that it was accepted.
    if (smtp.received.length === 0) killed.child.kill('SIGKILL');
  };
  const manager = await ctx.services.users.findByEmail(DEMO.teamManagerOnly);
  await ctx.infrastructure.db.transaction((tx) =>
    ctx.services.notifications.notify(tx, [
      {
        kind: 'remediation.verify',
        recipientUserIds: [manager?.id ?? 0],
        message: { subject: 'Actions to verify', body: 'An action has been completed.' },
        path: '/actions',
        record: { type: 'remediation', id: 1 },
      },
    ]),
  );
  await killed.exited;
  expect(smtp.received).toHaveLength(1);
  const row = await ctx.db.knex('notification').where({ recipient_user_id: manager?.id }).first();
  expect(row.sent_at).toBeNull();

  server = await start();
  await waitFor(
    async () => (await ctx.db.knex('notification').where({ id: row.id }).first()).sent_at !== null,
    30_000,
  );
  expect(smtp.received.map((m) => m.messageId)).toEqual([row.message_id, row.message_id]);
  expect(await ctx.db.knex('notification').where({ id: row.id }).first()).toMatchObject({
    attempts: 2,
    transport: 'smtp',
  });
}, 60_000);
