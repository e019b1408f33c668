import { DEMO, sessionHeaders } from '../support/app';
import { roundForAuditor } from '../support/audits';
import { startFaultCluster, type FaultCluster } from '../support/fault-cluster';
import { apiToken, client, markedResponses, pause, randomPause, residentKb, Tally } from '../support/load';

/**
 * A soak: mixed load for SOAK_SECONDS (60 by default; 300 for the five minutes of a full soak) — auditors
 * saving drafts and reading their audits over the API, managers reading Actions and directors the
 * dashboard in the browser's way (a session cookie). No errors, and the server's resident memory grows by
 * under 10% from the end of the warm-up (the first half of the run, while
 * the heap grows to the size the load needs) to the end.
 */

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WARMUP_SHARE = 0.5;
const AUDITORS = 12;
const READERS = 4;
/**
 * The server's heap limit, as a container's memory limit sets it. Left to its default (a quarter or more of
 * the machine's memory) V8 lets garbage pile up for minutes before a full collection, so resident memory
 * climbs steadily whether or not anything leaks. Capped, it collects as a sized production server does:
 * growth then measures memory kept, and a leak ends in an out-of-memory crash or shows as growth.
 */
const HEAP_MB = 128;

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster();
});
afterAll(() => cluster?.close());

it(`serves ${SECONDS} s of mixed load without an error or a growing memory`, async () => {
  const { services } = cluster;
  const server = await cluster.startServer({ NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` });
  const pid = server.child.pid as number;
  const { auditIds } = await roundForAuditor(services, { cases: 80, perTeam: 5 });
  const token = await apiToken(services, DEMO.auditor);
  const responseFor = await markedResponses(services);
  const userId = async (email: string) => (await services.users.findByEmail(email))?.id ?? 0;
  const manager = await sessionHeaders(server.url, await userId(DEMO.teamManager));
  const director = await sessionHeaders(server.url, await userId(DEMO.director));

  const tallies = { save: new Tally(), read: new Tally(), actions: new Tally(), dashboard: new Tally() };
  const errors: string[] = [];
  const check = (kind: keyof typeof tallies, answer: Parameters<Tally['add']>[0], ok: number[]) => {
    tallies[kind].add(answer);
    if (!ok.includes(answer.status ?? 0))
      errors.push(`${kind}: ${answer.error ?? answer.status} ${answer.body.slice(0, 200)}`);
  };
  const endAt = Date.now() + SECONDS * 1000;
  const running = () => Date.now() < endAt;

  const auditors = Array.from({ length: AUDITORS }, async (_, c) => {
    const http = client(server.url, { authorization: `Bearer ${token}` });
    const auditId = auditIds[c % auditIds.length] as number;
    let version = (
      JSON.parse((await http.request('GET', `/api/audits/${auditId}`)).body) as { version: number }
    ).version;
    for (let s = 0; running(); s++) {
      const saved = await http.request('PUT', `/api/audits/${auditId}`, {
        version,
        response: responseFor(`${c}-${s}`),
      });
      check('save', saved, [200]);
      if (saved.status === 200) version = (JSON.parse(saved.body) as { version: number }).version;
      check('read', await http.request('GET', `/api/audits/${auditId}`), [200]);
      await randomPause(100);
    }
    http.close();
  });
  const readers = Array.from({ length: READERS }, async (_, r) => {
    const [kind, path, headers] =
      r % 2 === 0
        ? (['actions', '/actions', manager] as const)
        : (['dashboard', '/reports', director] as const);
    const http = client(server.url, { ...headers, accept: 'text/html' });
    while (running()) {
      check(kind, await http.request('GET', path), [200]);
      await randomPause(200);
    }
    http.close();
  });

  const samples: number[] = [];
  const sampler = setInterval(
    () => void residentKb(pid).then((kb) => samples.push(Math.round(kb / 1024))),
    5000,
  );
  await pause(SECONDS * WARMUP_SHARE * 1000);
  const warmedKb = await residentKb(pid);
  await Promise.all([...auditors, ...readers]);
  const endKb = await residentKb(pid);
  clearInterval(sampler);
  const growth = (endKb - warmedKb) / warmedKb;

  const total = Object.values(tallies).reduce((n, t) => n + t.total, 0);
  console.log(
    `soak: ${SECONDS} s, ${AUDITORS} auditors and ${READERS} readers, ${total} requests (${(total / SECONDS).toFixed(0)}/s): ` +
      Object.entries(tallies)
        .map(([kind, t]) => `${kind} ${t.toString()}`)
        .join('; ') +
      `; server RSS ${(warmedKb / 1024).toFixed(0)} MB after the warm-up, ${(endKb / 1024).toFixed(0)} MB at the end (${(growth * 100).toFixed(1)}%); every 5 s: ${samples.join(', ')} MB`,
  );
  expect(errors.slice(0, 10)).toEqual([]);
  expect(growth).toBeLessThan(0.1);
});
