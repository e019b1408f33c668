import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { previousMonth } from '../../src/reporting/packs';
import { startFaultCluster, type FaultCluster } from '../support/fault-cluster';
import { waitFor, type ServerProcess } from '../support/server-process';
import { quickMailEnv, startSmtpServer, type TestSmtpServer } from '../support/smtp';

/**
 * The server is killed (SIGKILL) while it makes the monthly board pack, and the next one while it emails the
 * directors that the pack is ready. Once a server runs again the job completes: one pack for the month, and
 * every email delivered, any repeat with the same Message-ID.
 */

const EXTRA_DIRECTORS = 4;

let cluster: FaultCluster;
let smtp: TestSmtpServer;
beforeAll(async () => {
  cluster = await startFaultCluster();
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await cluster?.close();
  await smtp?.close();
});

const start = () => cluster.startServer({ ...quickMailEnv(smtp), REPORT_PACK_TIMEOUT_SECONDS: '2' });

const killed = async (server: ServerProcess) => {
  server.child.kill('SIGKILL');
  await server.exited;
};

it('makes one pack and delivers every email after kills during the making and the sending', async () => {
  const { knex, services, infrastructure } = cluster;
  for (let i = 1; i <= EXTRA_DIRECTORS; i++)
    await services.users.add(
      { email: `director.${i}@demoshire.gov.uk`, displayName: `Director ${i}`, roles: ['director'] },
      SYSTEM_ACTOR,
    );
  const month = previousMonth();
  const packs = async () => Number((await knex('report_pack').where({ month }).count('* as n').first())?.n);

  // The pack is made, then stored under the month's lock: held here, the job is caught making it.
  const making = await start();
  const blocker = await knex.transaction();
  await blocker.raw(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`report_pack:${month}:all`]);
  await infrastructure.jobs.enqueueNow('report-pack');
  await waitFor(async () => {
    const { rows } = await knex.raw<{ rows: unknown[] }>(
      `select 1 from pg_stat_activity where wait_event = 'advisory' and application_name <> 'case-audit-fault-test'`,
    );
    return rows.length > 0;
  }, 60_000);
  await killed(making);
  await blocker.commit();
  expect(await packs()).toBe(0);

  // The next server makes it again, and dies as the mail server receives its first email.
  const sending = await start();
  smtp.onMessage = () => {
    if (smtp.received.length === 0) sending.child.kill('SIGKILL');
  };
  await waitFor(() => sending.child.exitCode !== null || sending.child.signalCode !== null, 60_000);
  await sending.exited;
  expect(await packs()).toBe(1);
  smtp.onMessage = () => {};

  const finishing = await start();
  const pack = await knex('report_pack').where({ month }).first('id');
  const notifications = () => knex('notification').where({ record_type: 'report_pack', record_id: pack.id });
  await waitFor(async () => (await notifications().whereNull('sent_at')).length === 0, 60_000);
  // A last look for a repeated job making a second pack.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await killed(finishing);

  const sent = await notifications().select('message_id', 'attempts');
  const expected = sent.map((n: { message_id: string }) => n.message_id).sort();
  const received = smtp.received.map((m) => m.messageId);
  console.log(
    `pack killed: killed while making the pack and at the first email; ${await packs()} pack for ${month}; ` +
      `${sent.length} notifications, ${received.length} emails received (${new Set(received).size} distinct Message-IDs), ` +
      `attempts ${sent.map((n: { attempts: number }) => n.attempts).join(', ')}`,
  );
  expect(await packs()).toBe(1);
  expect(sent).toHaveLength(EXTRA_DIRECTORS + 1);
  expect([...new Set(received)].sort()).toEqual(expected);
  expect(received.length).toBeGreaterThanOrEqual(expected.length);
});
