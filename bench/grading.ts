import { fork } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import express from 'express';
import pg from 'pg';
import { createApp } from '../src/app';
import { SYSTEM_ACTOR } from '../src/activity-log/actor';
import { seedDemoActivity } from '../src/demo/activity';
import { DEMO_CASE_LIST } from '../src/demo/cases';
import { DEMO_USERS, identityOf } from '../src/demo/organisation';
import { completeResponse } from '../src/demo/responses';
import { numberOption, sized } from './options';
import { rowsOf, type ResultRow } from './results';
import { benchServices, close, listen } from './support';

/**
 * Grading under load: the draft-save and submit endpoints of the API driven by autocannon (in a child
 * process, so the load generator does not share the server's event loop), against as the ceiling a bare
 * Express 5 endpoint in the same process doing one insert of the same JSON body into PostgreSQL with a
 * pool of the same size. On the demo data (what `npm start` seeds) plus one round of 2 × connections
 * audits allocated to the demo auditor, so that every connection works on audits of its own:
 *   ceiling: PUT /ceiling, one `insert into bench_ceiling (payload) values ($1)`
 *   drafts:  PUT /api/audits/:id, each connection on its own audit, sending back the version it last got
 *   submits: POST /api/audits/:id/submit (with the response, as a form's submit button sends it), then
 *            POST /api/audits/:id/reopen, alternately, each connection on its own audit: a submission is
 *            one-off, so the cycle is what can be sustained; submit and reopen are also timed apart
 * Options: --duration <s> (default 10, 20 with --full) and --connections <n> (default 50).
 */

/** Seconds per scenario: 20 with --full. */
const DEFAULT_DURATION_S = sized(20, 10);
const DEFAULT_CONNECTIONS = 50;
const WARMUP_S = 2;
const FRAMEWORK_ID = 'childrens-social-care-case-audit';
const DRIVER_FLAG = '--grading-driver';
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 100;

/** Why the targets are missed, as the README's "Grading under load" works out; shown only for a miss. */
const EXPLAINED = {
  draftRate:
    'one Node event loop is the limit (busy 80–97 %): a save costs 3–5× the ceiling’s CPU, spread over routing, security, token and body checks, the schema check and the log, none over 6 %; the SQL is already one statement',
  draftP99: 'follows from the rate: 50 connections queue on one busy event loop',
  submit:
    'a submission is once per audit and does 7 ms of work in its transaction (hash, snapshot, grades, moderation draw): 100/s is thousands of times what a council submits',
};

// ---------------------------------------------------------------------------------------------------
// The load generator: runs in a child process, told what to drive over IPC.

type Scenario = 'ceiling' | 'drafts' | 'submits';
type Kind = 'ceiling' | 'save' | 'submit' | 'reopen' | 'resync';

interface Slot {
  auditId: number;
  version: number;
  /** What this connection sends next, and what it sent last (whose response is awaited). */
  next: Kind;
  sent: Kind;
}

interface DriveRequest {
  scenario: Scenario;
  url: string;
  token: string;
  connections: number;
  durationS: number;
  warmupS: number;
  audits: { id: number; version: number }[];
  responseJson: string;
}

interface KindStats {
  ok: number;
  conflicts: number;
  other: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  mean: number;
}

interface DriveResult {
  durationS: number;
  errors: number;
  timeouts: number;
  kinds: Partial<Record<Kind, KindStats>>;
  /** 2xx responses in the warm-up, by kind. */
  warmupOk: Partial<Record<Kind, number>>;
}

interface Tally {
  ok: number;
  conflicts: number;
  other: number;
  statuses: Record<string, number>;
  latencies: number[];
}

const firstKind = (scenario: Scenario): Kind =>
  scenario === 'ceiling' ? 'ceiling' : scenario === 'drafts' ? 'save' : 'submit';

function kindFor(scenario: Scenario, auditStatus: string | undefined): Kind {
  if (scenario === 'submits') return auditStatus === 'submitted' ? 'reopen' : 'submit';
  return firstKind(scenario);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function summarise(tally: Tally): KindStats {
  const sorted = Float64Array.from(tally.latencies).sort();
  const values = Array.from(sorted);
  return {
    ok: tally.ok,
    conflicts: tally.conflicts,
    other: tally.other,
    statuses: tally.statuses,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    mean: values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : NaN,
  };
}

async function drive(job: DriveRequest): Promise<DriveResult> {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: `Bearer ${job.token}`,
  };
  const slots: Slot[] =
    job.scenario === 'ceiling'
      ? Array.from({ length: job.connections }, () => ({
          auditId: 0,
          version: 0,
          next: 'ceiling',
          sent: 'ceiling',
        }))
      : job.audits.map((a) => ({
          auditId: a.id,
          version: a.version,
          next: firstKind(job.scenario),
          sent: 'save',
        }));

  const request = (slot: Slot): autocannon.Request => {
    slot.sent = slot.next;
    const path = `/api/audits/${slot.auditId}`;
    const body = `{"version":${slot.version},"response":${job.responseJson}}`;
    switch (slot.next) {
      case 'ceiling':
        return { method: 'PUT', path: '/ceiling', headers: { ...headers }, body };
      case 'save':
        return { method: 'PUT', path, headers: { ...headers }, body };
      case 'submit':
        return { method: 'POST', path: `${path}/submit`, headers: { ...headers }, body };
      case 'reopen':
        return {
          method: 'POST',
          path: `${path}/reopen`,
          headers: { ...headers },
          body: `{"version":${slot.version},"reason":"Benchmark: correcting the grade rationale."}`,
        };
      case 'resync':
        return { method: 'GET', path, headers: { ...headers } };
    }
  };

  /** Reads the version (and what to do next) from each response; anything unexpected: read the audit again. */
  const onResponse = (slot: Slot, status: number, body: string) => {
    if (slot.sent === 'ceiling') return;
    try {
      if (status === 200) {
        const json = JSON.parse(body) as { version: number; status?: string };
        slot.version = json.version;
        slot.next =
          slot.sent === 'resync'
            ? kindFor(job.scenario, json.status)
            : slot.sent === 'submit'
              ? 'reopen'
              : firstKind(job.scenario);
        return;
      }
      if (status === 409) {
        const current = (JSON.parse(body) as { current?: { version?: unknown; status?: string } }).current;
        if (typeof current?.version === 'number') {
          slot.version = current.version;
          slot.next = kindFor(job.scenario, current.status);
          return;
        }
      }
    } catch {
      // not JSON: fall through to reading the audit again
    }
    slot.next = 'resync';
  };

  /** Brings every slot up to date after a run stopped with requests in flight. */
  const resyncAll = async () => {
    if (job.scenario === 'ceiling') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const slot of slots) {
      const res = await fetch(`${job.url}/api/audits/${slot.auditId}`, { headers });
      const json = (await res.json()) as { version: number; status: string };
      slot.version = json.version;
      slot.next = kindFor(job.scenario, json.status);
    }
  };

  const run = (durationS: number) =>
    new Promise<{ result: autocannon.Result; tallies: Map<Kind, Tally> }>((resolve, reject) => {
      const tallies = new Map<Kind, Tally>();
      const slotOf = new Map<autocannon.Client, Slot>();
      let assigned = 0;
      const instance = autocannon(
        {
          url: job.url,
          connections: job.connections,
          duration: durationS,
          timeout: 30,
          setupClient(client) {
            const slot = slots[assigned++ % slots.length] as Slot;
            slotOf.set(client, slot);
            client.setRequests([
              {
                setupRequest: () => request(slot),
                onResponse: (status, body) => onResponse(slot, status, body),
              },
            ]);
          },
        },
        (err: unknown, result) =>
          err
            ? reject(err instanceof Error ? err : new Error('autocannon failed', { cause: err }))
            : resolve({ result, tallies }),
      );
      // Emitted after onResponse, before the connection's next request is set up: `sent` is still this one's.
      instance.on('response', (client, status, _bytes, ms) => {
        const kind = slotOf.get(client)?.sent ?? 'ceiling';
        let tally = tallies.get(kind);
        if (!tally)
          tallies.set(kind, (tally = { ok: 0, conflicts: 0, other: 0, statuses: {}, latencies: [] }));
        tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
        if (status >= 200 && status < 300) {
          tally.ok++;
          tally.latencies.push(ms);
        } else if (status === 409) tally.conflicts++;
        else tally.other++;
      });
    });

  const warmup = await run(job.warmupS);
  await resyncAll();
  const { result, tallies } = await run(job.durationS);
  return {
    durationS: result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    kinds: Object.fromEntries([...tallies].map(([kind, tally]) => [kind, summarise(tally)])),
    warmupOk: Object.fromEntries([...warmup.tallies].map(([kind, tally]) => [kind, tally.ok])),
  };
}

if (process.argv[2] === DRIVER_FLAG) {
  process.once('message', (job: DriveRequest) => {
    drive(job).then(
      (result) => process.send?.(result, () => process.disconnect()),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}

/** Runs one scenario in a child process (this file again, with the same loader flags as this process). */
function driveInChild(job: DriveRequest): Promise<DriveResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [DRIVER_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: DriveResult | undefined;
    child.once('message', (message: DriveResult) => (result = message));
    child.once('error', reject);
    child.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`the load generator exited with ${code}`)),
    );
    child.send(job);
  });
}

// ---------------------------------------------------------------------------------------------------
// The servers and the report: in the benchmark's own process.

interface Measured {
  run: DriveResult;
  /** This process's CPU time (all threads) over wall time, while the scenario ran (warm-up included). */
  cpuShare: number;
  cpuMsPerOk: number;
  eventLoopBusy: number;
}

/** Drives one scenario, and measures what serving it cost this process (where both servers run). */
async function measure(job: DriveRequest): Promise<Measured> {
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  const run = await driveInChild(job);
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const oks = [...Object.values(run.kinds), ...Object.values(run.warmupOk)].reduce<number>(
    (n, k) => n + (typeof k === 'number' ? k : k.ok),
    0,
  );
  return {
    run,
    cpuShare: cpuMs / (performance.now() - started),
    cpuMsPerOk: cpuMs / oks,
    eventLoopBusy: performance.eventLoopUtilization(elu).utilization,
  };
}

/** The ceiling: Express 5 with its JSON body parser, and one insert of the body per request. */
function ceilingApp(pool: pg.Pool, bodyLimit: string): express.Express {
  const app = express();
  app.use(express.json({ limit: bodyLimit }));
  app.put('/ceiling', async (req, res) => {
    const { rows } = await pool.query<{ id: string }>(
      'insert into bench_ceiling (payload) values ($1) returning id',
      [JSON.stringify(req.body)],
    );
    res.json({ id: Number(rows[0]?.id) });
  });
  return app;
}

const fixed = (value: number, digits: number, width: number) =>
  (Number.isFinite(value) ? value.toFixed(digits) : '-').padStart(width);

export async function benchGrading(): Promise<ResultRow[]> {
  const durationS = numberOption('--duration', false) ?? DEFAULT_DURATION_S;
  const connections = numberOption('--connections') ?? DEFAULT_CONNECTIONS;
  const bench = await benchServices();
  const { config, knex, infrastructure, services } = bench;
  const pool = new pg.Pool({ connectionString: bench.db.url, max: config.databasePoolMax });
  const servers: http.Server[] = [];
  try {
    await seedDemoActivity(services, SYSTEM_ACTOR, infrastructure.db);

    // One more round, of two audits per connection, all for the demo auditor (Aisha Khan).
    const email =
      DEMO_USERS.map((u) => identityOf(u)).find((u) => u.displayName === 'Aisha Khan')?.email ?? '';
    const auditor = await services.users.findByEmail(email);
    const importId = (await services.cases.listImports()).find((i) => i.sourceName === DEMO_CASE_LIST)?.id;
    const version = (await services.frameworks.list()).find((f) => f.id === FRAMEWORK_ID)?.latest?.version;
    if (!auditor || importId === undefined || !version) throw new Error('the demo data is not as expected');
    const { id: roundId } = await services.rounds.create(
      {
        name: 'Grading benchmark',
        frameworkId: FRAMEWORK_ID,
        frameworkVersion: version,
        importId,
        dueDate: '2099-01-31',
        seed: 7,
        filters: {},
        size: { kind: 'fixed', total: 2 * connections },
        stratifyBy: 'team',
        exclusions: { auditedWithinMonths: null, inOtherOpenRound: false, closed: true, restricted: true },
        auditors: [{ userId: auditor.id, capacity: 2 * connections }],
      },
      SYSTEM_ACTOR,
    );
    const ids = (await services.rounds.get(roundId, SYSTEM_ACTOR)).audits
      .filter((a) => a.auditorUserId === auditor.id && a.status !== 'submitted')
      .map((a) => a.id);
    if (ids.length < 2 * connections)
      throw new Error(`the benchmark round has ${ids.length} audits for ${email}, not ${2 * connections}`);
    const versions = async (auditIds: number[]) =>
      (
        await knex('audit')
          .whereIn('id', auditIds)
          .select<{ id: number; version: number }[]>('id', 'lock_version as version')
      ).sort((a, b) => a.id - b.id);
    const draftAudits = await versions(ids.slice(0, connections));
    const submitAudits = await versions(ids.slice(connections, 2 * connections));
    const openDemoAudits = Number(
      (
        await knex('audit').whereIn('status', ['allocated', 'in_progress']).count<{ n: number }[]>({ n: '*' })
      )[0]?.n,
    );

    const { framework } = await services.frameworks.get(FRAMEWORK_ID, version);
    const responseJson = JSON.stringify(completeResponse(framework, () => 1));
    const { token } = await services.tokens.create({ email, name: 'Grading benchmark' }, SYSTEM_ACTOR);
    await knex.raw(
      'create table bench_ceiling (id bigserial primary key, payload jsonb not null, created_at timestamptz not null default now())',
    );

    const app = await listen(createApp(infrastructure, services));
    const ceiling = await listen(ceilingApp(pool, config.bodyLimit));
    servers.push(app.server, ceiling.server);

    const job = { token, connections, durationS, warmupS: WARMUP_S, responseJson };
    const ceilingCost = await measure({ ...job, scenario: 'ceiling', url: ceiling.url, audits: [] });
    const draftCost = await measure({ ...job, scenario: 'drafts', url: app.url, audits: draftAudits });
    const submitCost = await measure({ ...job, scenario: 'submits', url: app.url, audits: submitAudits });
    const [ceilingRun, draftRun, submitRun] = [ceilingCost.run, draftCost.run, submitCost.run];
    await new Promise((resolve) => setTimeout(resolve, 1000));

    // What the database holds, against what autocannon saw (requests in flight at a stop are not seen).
    const after = await versions(draftAudits.map((a) => a.id));
    const savesCommitted = after.reduce((n, a, i) => n + a.version - (draftAudits[i]?.version ?? 0), 0);
    const submitsCommitted = Number(
      (
        await knex('audit_revision')
          .whereIn(
            'audit_id',
            submitAudits.map((a) => a.id),
          )
          .where('status', 'submitted')
          .count<{ n: number }[]>({ n: '*' })
      )[0]?.n,
    );

    const stats = (run: DriveResult, kind: Kind) => run.kinds[kind] as KindStats;
    const rate = (run: DriveResult, ...kinds: Kind[]) =>
      kinds.reduce((n, k) => n + (run.kinds[k]?.ok ?? 0), 0) / run.durationS;
    const ceilingRate = rate(ceilingRun, 'ceiling');
    const draft = stats(draftRun, 'save');
    const submit = stats(submitRun, 'submit');
    const reopen = stats(submitRun, 'reopen');
    const cycleRate = rate(submitRun, 'submit', 'reopen');
    // With a fixed number of connections each waiting for its answer, throughput = connections / latency.
    const submitAloneRate = connections / (submit.mean / 1000);

    console.log(
      `\nGrading under load (Node ${process.version}, ${os.cpus().length} CPUs, PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'}): ` +
        `${connections} connections, ${durationS} s each after ${WARMUP_S} s of warm-up; pool of ${config.databasePoolMax} for each server; ` +
        `${openDemoAudits} open audits in the database (the demo's and ${2 * connections} for the benchmark); ` +
        `request body ${(Buffer.byteLength(responseJson) / 1024).toFixed(1)} kB (a complete response); request log at info, to /dev/null`,
    );
    console.log(
      `  ${'endpoint'.padEnd(52)}${'2xx/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'2xx'.padStart(8)}${'409'.padStart(6)}${'other'.padStart(7)}${'× ceiling'.padStart(11)}`,
    );
    const row = (label: string, perSecond: number, s: KindStats, ratio: number) =>
      console.log(
        `  ${label.padEnd(52)}${fixed(perSecond, 0, 8)}${fixed(s.p50, 1, 9)}${fixed(s.p99, 1, 9)}${String(s.ok).padStart(8)}${String(s.conflicts).padStart(6)}${String(s.other).padStart(7)}${fixed(ratio, 2, 11)}`,
      );
    row('ceiling: bare Express 5, one insert (PUT /ceiling)', ceilingRate, stats(ceilingRun, 'ceiling'), 1);
    row(
      'draft save (PUT /api/audits/:id)',
      rate(draftRun, 'save'),
      draft,
      rate(draftRun, 'save') / ceilingRate,
    );
    const cycle = {
      ...submit,
      ok: submit.ok + reopen.ok,
      conflicts: submit.conflicts + reopen.conflicts,
      other: submit.other + reopen.other,
    };
    row(
      'submit + reopen, alternately (both counted)',
      cycleRate,
      { ...cycle, p50: NaN, p99: NaN },
      cycleRate / ceilingRate,
    );
    row('  of which submit (POST /api/audits/:id/submit)', rate(submitRun, 'submit'), submit, NaN);
    row('  of which reopen (POST /api/audits/:id/reopen)', rate(submitRun, 'reopen'), reopen, NaN);
    const resyncs = (draftRun.kinds.resync?.ok ?? 0) + (submitRun.kinds.resync?.ok ?? 0);
    const failures = [ceilingRun, draftRun, submitRun].reduce((n, r) => n + r.errors, 0);
    const otherStatuses = [draft, submit, reopen]
      .flatMap((s) => Object.entries(s.statuses))
      .filter(([status]) => !['200', '409'].includes(status));
    console.log(
      `  latencies are of 2xx responses, as measured by autocannon; ${resyncs} re-reads of an audit after an unexpected answer; ` +
        `${failures} connection errors or timeouts${otherStatuses.length > 0 ? `; other statuses: ${otherStatuses.map(([s, n]) => `${s} × ${n}`).join(', ')}` : ''}`,
    );
    console.log(
      `  each draft save: read and lock the audit, check the response against the framework's draft schema, bump the version, update the revision, log it; one transaction`,
    );
    console.log(
      `  each submit: save the response sent as the draft, check it against the submission schema, hash it, snapshot the revision, record its grades, select for moderation, log it; one transaction. ` +
        `Each reopen starts a new draft revision from it and cancels its moderation`,
    );
    console.log(
      `  submit alone, estimated from its mean latency (${submit.mean.toFixed(1)} ms) over ${connections} connections: ${submitAloneRate.toFixed(0)}/s, ${(submitAloneRate / ceilingRate).toFixed(2)} × ceiling`,
    );
    console.log(
      `  in the database afterwards: ${savesCommitted} draft saves (autocannon saw ${draft.ok + (draftRun.warmupOk.save ?? 0)} with the warm-up), ` +
        `${submitsCommitted} submissions (saw ${submit.ok + (submitRun.warmupOk.submit ?? 0)}); requests in flight at each stop are committed unseen`,
    );
    const cost = (label: string, m: Measured) =>
      console.log(
        `  server process, ${label}: ${(m.cpuShare * 100).toFixed(0)}% of one CPU, event loop busy ${(m.eventLoopBusy * 100).toFixed(0)}% of the time, ${m.cpuMsPerOk.toFixed(2)} ms of CPU per 2xx`,
      );
    cost('ceiling', ceilingCost);
    cost('draft saves', draftCost);
    cost('submit + reopen', submitCost);
    const verdict = (label: string, ratio: number, p99: number) => {
      const met = ratio >= TARGET_RATIO && p99 < TARGET_P99_MS;
      console.log(
        `  target for ${label}: ≥ ${TARGET_RATIO} × ceiling (${ratio.toFixed(2)}) and p99 under ${TARGET_P99_MS} ms (${p99.toFixed(1)}): ${met ? 'met' : 'NOT met'}`,
      );
    };
    verdict('draft save', rate(draftRun, 'save') / ceilingRate, draft.p99);
    verdict(
      'submit (the lower of the cycle and the estimate alone)',
      Math.min(cycleRate, submitAloneRate) / ceilingRate,
      submit.p99,
    );

    const figure = rowsOf('grading');
    const load = `${connections} connections × ${durationS} s`;
    const draftRate = rate(draftRun, 'save');
    const submitRate = Math.min(cycleRate, submitAloneRate);
    /** A rate against the ceiling and a p99, each with its target. */
    const targetRows = (
      label: string,
      perSecond: number,
      p99: number,
      why: { rate: string; p99: string },
    ) => [
      figure(label, perSecond, '2xx/s', {
        reference: ceilingRate,
        target: `≥ ${TARGET_RATIO} × ceiling`,
        met: perSecond / ceilingRate >= TARGET_RATIO,
        explained: why.rate,
      }),
      figure(`${label.split(' (')[0] ?? label} p99`, p99, 'ms', {
        target: `< ${TARGET_P99_MS} ms`,
        met: p99 < TARGET_P99_MS,
        explained: why.p99,
      }),
    ];
    return [
      figure(`ceiling: bare Express 5, one insert, ${load}`, ceilingRate, '2xx/s'),
      ...targetRows(`draft save (PUT /api/audits/:id), ${load}`, draftRate, draft.p99, {
        rate: EXPLAINED.draftRate,
        p99: EXPLAINED.draftP99,
      }),
      figure('submit + reopen cycle (both counted)', cycleRate, '2xx/s', { reference: ceilingRate }),
      ...targetRows('submit (the lower of the cycle and the estimate alone)', submitRate, submit.p99, {
        rate: EXPLAINED.submit,
        p99: EXPLAINED.submit,
      }),
      figure('server CPU per draft save (ceiling: per insert)', draftCost.cpuMsPerOk, 'ms', {
        reference: ceilingCost.cpuMsPerOk,
      }),
      figure('server event loop busy, draft saves', draftCost.eventLoopBusy * 100, '%'),
    ];
  } finally {
    await Promise.all(servers.map(close));
    await pool.end();
    await bench.close();
  }
}
