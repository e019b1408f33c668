import { DEMO } from '../support/app';
import { roundForAuditor } from '../support/audits';
import { startFaultCluster, type FaultCluster } from '../support/fault-cluster';
import { apiToken, client, markedResponses, markerOf, pause, randomPause, Tally } from '../support/load';
import { restartPostgres, stopPostgres } from '../support/postgres-outage';
import { waitFor } from '../support/server-process';

/**
 * PostgreSQL is stopped and started again under a running server while 20 clients save drafts, each on its
 * own audit: while it is down the answers are 503 with Retry-After, never 500; the server recovers by
 * itself; and every save acknowledged with a 2xx is there afterwards.
 */

const CLIENTS = 20;

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster();
});
afterAll(() => cluster?.close());

interface Acknowledged {
  version: number;
  marker: string;
}

it('answers 503 with Retry-After while the database is down, recovers, and loses no acknowledged save', async () => {
  const { services } = cluster;
  const server = await cluster.startServer();
  const { auditIds } = await roundForAuditor(services, { cases: 80, perTeam: 5 });
  expect(auditIds.length).toBeGreaterThanOrEqual(CLIENTS);
  const token = await apiToken(services, DEMO.auditor);
  const responseFor = await markedResponses(services);
  const headers = { authorization: `Bearer ${token}` };

  /** `stop`: end on a save acknowledged after the restart; `abort`: end now (the test has failed). */
  const phase = { name: 'before' as 'before' | 'down' | 'after', stop: false, abort: false };
  const tallies = { before: new Tally(), down: new Tally(), after: new Tally() };
  const wrong: string[] = [];
  const acknowledged = new Map<number, Acknowledged>();
  const afterOks = new Map<number, number>();

  const clients = auditIds.slice(0, CLIENTS).map(async (auditId, c) => {
    const http = client(server.url, headers);
    const read = async () => {
      for (;;) {
        const answer = await http.request('GET', `/api/audits/${auditId}`);
        if (answer.status === 200 || phase.abort)
          return answer.status === 200 ? (JSON.parse(answer.body) as { version: number }).version : 0;
        await pause(200);
      }
    };
    let version = await read();
    for (let s = 0; ; s++) {
      // Ends only on an acknowledged save made after the database came back.
      if (phase.abort || (phase.stop && (afterOks.get(auditId) ?? 0) > 0)) break;
      const marker = `${c}-${s}`;
      const during = phase.name;
      const answer = await http.request('PUT', `/api/audits/${auditId}`, {
        version,
        response: responseFor(marker),
      });
      tallies[during].add(answer);
      if (answer.status === 200) {
        version = (JSON.parse(answer.body) as { version: number }).version;
        acknowledged.set(auditId, { version, marker });
        if (during === 'after') afterOks.set(auditId, (afterOks.get(auditId) ?? 0) + 1);
      } else if (answer.status === 409) {
        // A save whose answer was lost may have been made: read the version again.
        version = await read();
      } else if (answer.status === 503) {
        if (!/^\d+$/.test(answer.retryAfter ?? '')) wrong.push(`503 without Retry-After (${during})`);
        await pause(100);
      } else {
        wrong.push(`${answer.error ?? answer.status} (${during}): ${answer.body.slice(0, 200)}`);
        await pause(100);
      }
      await randomPause(20);
    }
    http.close();
  });

  let restarted: { stop(): Promise<void> } | undefined;
  try {
    // Every client has a save acknowledged before the outage (on a busy machine the first connections can take
    // longer than the pool's connection timeout, and those saves are answered 503 like any in the outage).
    await waitFor(() => acknowledged.size === CLIENTS, 60_000);
    await pause(1000);
    const port = await stopPostgres(cluster.dataDir);
    phase.name = 'down';
    await pause(4000);
    restarted = await restartPostgres(cluster.dataDir, port);
    phase.name = 'after';
    await waitFor(async () => {
      if (server.child.exitCode !== null || server.child.signalCode !== null)
        throw new Error(
          `the server stopped (${server.child.exitCode ?? server.child.signalCode}): ${server.stderr()}\n` +
            JSON.stringify(server.logs.filter((line) => (line.level as number) >= 50)),
        );
      return (await fetch(`${server.url}/health`)).status === 200 && afterOks.size === CLIENTS;
    }, 60_000);
    await pause(2000);
    phase.stop = true;
    await Promise.all(clients);

    console.log(
      `database restart: ${CLIENTS} clients saving drafts; before the stop: ${tallies.before.toString()}; ` +
        `while stopped: ${tallies.down.toString()}; after the restart: ${tallies.after.toString()}`,
    );
    expect(wrong).toEqual([]);
    expect(tallies.down.count('503')).toBeGreaterThan(0);
    expect(tallies.before.count('200')).toBeGreaterThan(0);
    expect(server.child.exitCode).toBeNull();

    // Each audit holds exactly its last acknowledged save: every client's last request was acknowledged.
    for (const auditId of auditIds.slice(0, CLIENTS)) {
      const stored = await cluster.knex('audit').where({ id: auditId }).first('lock_version');
      const answer = await fetch(`${server.url}/api/audits/${auditId}`, { headers });
      const body = (await answer.json()) as { version: number; response: unknown };
      expect({ auditId, version: stored.lock_version, marker: markerOf(body.response) }).toEqual({
        auditId,
        ...acknowledged.get(auditId),
      });
    }
  } finally {
    phase.abort = true;
    await restarted?.stop();
  }
});
