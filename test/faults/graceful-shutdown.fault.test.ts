import { DEMO } from '../support/app';
import { roundForAuditor } from '../support/audits';
import { startFaultCluster, type FaultCluster } from '../support/fault-cluster';
import { apiToken, client, markedResponses, pause, Tally, warmUp, type Answer } from '../support/load';
import { waitFor } from '../support/server-process';

/**
 * SIGTERM under load: 40 clients saving drafts and reading audits. The requests the server holds when the
 * signal comes (held for sure: a lock the test holds keeps them waiting on the database) all complete with
 * their normal answer; new connections are refused cleanly; the server exits 0.
 */

const CLIENTS = 40;

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster();
});
afterAll(() => cluster?.close());

it('finishes the requests in flight at SIGTERM, refuses new connections cleanly, and exits 0', async () => {
  const { services, knex } = cluster;
  const server = await cluster.startServer();
  const { auditIds } = await roundForAuditor(services, { cases: 80, perTeam: 5 });
  const token = await apiToken(services, DEMO.auditor);
  const responseFor = await markedResponses(services);
  const headers = { authorization: `Bearer ${token}` };
  const ids = auditIds.slice(0, CLIENTS / 2);
  await warmUp(
    server.url,
    headers,
    ids.map((id) => `/api/audits/${id}`),
  );

  const loaded = new Tally();
  /** Each client's request awaiting its answer, if any. */
  const outstanding = new Map<number, Promise<Answer>>();
  let terminating = false;
  const clients = Array.from({ length: CLIENTS }, async (_, c) => {
    const http = client(server.url, headers);
    const auditId = ids[c % ids.length] as number;
    let version = 0;
    for (let s = 0; !terminating; s++) {
      const sent =
        c % 2 === 0
          ? http.request('PUT', `/api/audits/${auditId}`, { version, response: responseFor(`${c}-${s}`) })
          : http.request('GET', `/api/audits/${auditId}`);
      outstanding.set(c, sent);
      const answer = await sent;
      outstanding.delete(c);
      if (terminating) break;
      loaded.add(answer);
      if (answer.status === 200) version = (JSON.parse(answer.body) as { version: number }).version;
      else if (answer.status === 409) {
        const read = await http.request('GET', `/api/audits/${auditId}`);
        version = (JSON.parse(read.body) as { version: number }).version;
      }
    }
    http.close();
  });

  await pause(3000);
  // Every request in flight from here on waits for this lock, so the server holds them all at the signal.
  const blocker = await knex.transaction();
  await blocker.raw('lock table audit in access exclusive mode');
  terminating = true;
  await waitFor(async () => {
    const { rows } = await knex.raw<{ rows: { n: string }[] }>(
      `select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and application_name <> 'case-audit-fault-test'`,
    );
    return Number(rows[0]?.n) > 0;
  }, 20_000);
  // The others reach the lock too: their requests are then all read and held.
  await pause(1000);
  const inFlight = [...outstanding.values()];
  const held = inFlight.length;
  server.child.kill('SIGTERM');
  await waitFor(
    () => server.logs.some((line) => line.msg === 'shutting down: finishing requests in flight'),
    10_000,
  );
  const refused = new Tally();
  for (let i = 0; i < 10; i++)
    refused.add(await client(server.url, headers, false).request('GET', '/api/me'));
  await blocker.commit();
  const finished = new Tally();
  for (const answer of await Promise.all(inFlight)) finished.add(answer);
  await Promise.all(clients);
  const exitCode = await server.exited;

  console.log(
    `graceful shutdown: ${CLIENTS} clients; under load before the signal: ${loaded.toString()}; ` +
      `held at SIGTERM: ${held}, answered ${finished.toString()}; new connections after it: ${refused.toString()}; exit code ${exitCode}`,
  );
  const warnings = new Set(
    server.logs
      .filter((line) => (line.level as number) >= 40)
      .map((line) => JSON.stringify(line.err ?? line.msg)),
  );
  if (warnings.size > 0) console.log(`the server's warnings: ${[...warnings].join('\n')}`);
  expect([...loaded.counts.keys()].filter((k) => !['200', '409'].includes(k))).toEqual([]);
  expect(held).toBeGreaterThan(0);
  expect(finished.count('200', '409')).toBe(held);
  expect(refused.count('ECONNREFUSED', '503')).toBe(10);
  expect(exitCode).toBe(0);
  expect(server.logs.filter((line) => (line.level as number) >= 50)).toEqual([]);
});
