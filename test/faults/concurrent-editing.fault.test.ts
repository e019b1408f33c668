import { DEMO } from '../support/app';
import { roundForAuditor } from '../support/audits';
import { startFaultCluster, type FaultCluster } from '../support/fault-cluster';
import { apiToken, client, markedResponses, markerOf, randomPause, Tally } from '../support/load';
import type { ServerProcess } from '../support/server-process';

/**
 * Fifty clients save the same audit through a real server, at random moments, each sending the version it
 * last saw: a save on the latest version succeeds (and makes the next), any other gets 409, and what is
 * stored at the end is the last save that succeeded.
 */

const CLIENTS = 50;
const SAVES_EACH = 6;

let cluster: FaultCluster;
let server: ServerProcess;

beforeAll(async () => {
  cluster = await startFaultCluster();
  server = await cluster.startServer();
});
afterAll(() => cluster?.close());

interface Success {
  sentVersion: number;
  version: number;
  marker: string;
}

it('lets one save per version through, answers the others 409, and keeps the last that succeeded', async () => {
  const { services } = cluster;
  const [auditId] = (await roundForAuditor(services, { cases: 8 })).auditIds;
  const token = await apiToken(services, DEMO.auditor);
  const responseFor = await markedResponses(services);
  const headers = { authorization: `Bearer ${token}` };
  const reader = client(server.url, headers);
  const first = JSON.parse((await reader.request('GET', `/api/audits/${auditId}`)).body) as {
    version: number;
  };

  const tally = new Tally();
  const successes: Success[] = [];
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const http = client(server.url, headers);
      let seen = first.version;
      for (let s = 0; s < SAVES_EACH; s++) {
        await randomPause(200);
        const marker = `${c}-${s}`;
        const answer = await http.request('PUT', `/api/audits/${auditId}`, {
          version: seen,
          response: responseFor(marker),
        });
        tally.add(answer);
        if (answer.status === 200) {
          const saved = JSON.parse(answer.body) as { version: number };
          successes.push({ sentVersion: seen, version: saved.version, marker });
          seen = saved.version;
        } else if (answer.status === 409) {
          // Told it is stale: read the audit again, as the page does when it says someone else saved.
          const read = await http.request('GET', `/api/audits/${auditId}`);
          seen = (JSON.parse(read.body) as { version: number }).version;
        }
      }
      http.close();
    }),
  );

  const stored = JSON.parse((await reader.request('GET', `/api/audits/${auditId}`)).body) as {
    version: number;
    response: unknown;
  };
  reader.close();
  const last = successes.reduce((a, b) => (b.version > a.version ? b : a));
  console.log(
    `concurrent editing: ${CLIENTS} clients, ${tally.total} saves of one audit: ${tally.toString()}; ` +
      `version ${first.version} → ${stored.version}; last save ${last.marker}`,
  );

  expect([...tally.counts.keys()].sort()).toEqual(['200', '409']);
  // Each success was on the latest version, and made the next: no two on one version, none skipped.
  const versions = successes.map((s) => s.version).sort((a, b) => a - b);
  expect(versions).toEqual(versions.map((_, i) => first.version + 1 + i));
  expect(successes.every((s) => s.version === s.sentVersion + 1)).toBe(true);
  expect(stored.version).toBe(last.version);
  expect(markerOf(stored.response)).toBe(last.marker);
});
