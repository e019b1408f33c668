import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createApp } from '../src/app';
import { SYSTEM_ACTOR } from '../src/activity-log/actor';
import { loadConfig } from '../src/config';
import { createKnex } from '../src/db/connection';
import { seedDemoActivity } from '../src/demo/activity';
import { DEMO_CASE_LIST } from '../src/demo/cases';
import { DEMO_USERS, identityOf, type DemoUser } from '../src/demo/organisation';
import { completeResponse } from '../src/demo/responses';
import { createInfrastructure } from '../src/infrastructure';
import { createLogger } from '../src/logger';
import { createServices } from '../src/services';
import { benchNames, fullRun, numberOption } from './options';
import { rowsOf, type ResultRow } from './results';
import { benchServices, listen, median } from './support';

/**
 * Mixed load: simulated users over HTTP with bearer tokens against the app served in a child process (so
 * the load generator does not share its event loop), on the demo data plus one round of an audit per
 * auditor. Auditors read their audit, save drafts with the version they last got and now and then submit
 * and reopen it; managers open their actions (GET /api/remediations); directors open the dashboard's
 * figures (GET /api/reports/summary). Each user sends its next request when the last one is answered.
 * Measures the app's CPU and the database backends' CPU per request, to size app servers against one
 * database. Options: --duration <s> (default 60, 20 unless --full when run with every bench) and
 * --users <n> (default 100).
 */

const SERVE_FLAG = '--mixed-serve';
const FRAMEWORK_ID = 'childrens-social-care-case-audit';
const APPLICATION_NAME = 'case-audit-mixed';
const WARMUP_S = 3;

type Kind = 'open audit' | 'save draft' | 'submit' | 'reopen' | 'actions' | 'dashboard';

interface ServerStats {
  cpuMs: number;
  rssMb: number;
}

// ---------------------------------------------------------------------------------------------------
// The server: in a child process.

if (process.argv[2] === SERVE_FLAG) {
  const url = process.argv[3] as string;
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'info' });
  const knex = createKnex({ url, poolMax: config.databasePoolMax, applicationName: APPLICATION_NAME });
  const logDestination = pino.destination({ dest: '/dev/null', sync: false });
  const infrastructure = createInfrastructure(config, createLogger(config.logLevel, logDestination), knex);
  const services = createServices(infrastructure);
  const stats = (): ServerStats => {
    const cpu = process.cpuUsage();
    return { cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 2 ** 20 };
  };
  listen(createApp(infrastructure, services)).then(
    ({ url: appUrl }) => {
      process.send?.({ url: appUrl });
      process.on('message', (message: string) => {
        if (message === 'stats') process.send?.({ stats: stats() });
        if (message === 'stop') process.exit(0);
      });
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

function serveInChild(url: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [SERVE_FLAG, url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the app server exited with ${code}`)));
    child.once('message', (message: { url: string }) => resolve({ child, url: message.url }));
  });
}

function statsOf(child: ChildProcess): Promise<ServerStats> {
  return new Promise((resolve) => {
    const onMessage = (message: { stats?: ServerStats }) => {
      if (!message.stats) return;
      child.off('message', onMessage);
      resolve(message.stats);
    };
    child.on('message', onMessage);
    child.send('stats');
  });
}

// ---------------------------------------------------------------------------------------------------
// The database's CPU: the backends serving the app, read from /proc (PostgreSQL on this machine).

const TICKS_PER_S = 100;

function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_S) * 1000;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// The load and the report: in the benchmark's own process.

function options(): { durationS: number; users: number } {
  const alone = benchNames().includes('mixed');
  return {
    durationS: numberOption('--duration') ?? (alone || fullRun ? 60 : 20),
    users: numberOption('--users') ?? 100,
  };
}

const userEmail = (user: DemoUser) => identityOf(user).email;

export async function benchMixed(): Promise<ResultRow[]> {
  const { durationS, users } = options();
  const bench = await benchServices();
  const { knex, infrastructure, services } = bench;
  let server: { child: ChildProcess; url: string } | undefined;
  try {
    await seedDemoActivity(services, SYSTEM_ACTOR, infrastructure.db);
    const auditors = Math.max(1, Math.round(users * 0.7));
    const managers = Math.round(users * 0.2);
    const directors = users - auditors - managers;

    const auditorEmail = userEmail(DEMO_USERS[1] as DemoUser);
    const auditor = await services.users.findByEmail(auditorEmail);
    const importId = (await services.cases.listImports()).find((i) => i.sourceName === DEMO_CASE_LIST)?.id;
    const version = (await services.frameworks.list()).find((f) => f.id === FRAMEWORK_ID)?.latest?.version;
    if (!auditor || importId === undefined || !version) throw new Error('the demo data is not as expected');
    const { id: roundId } = await services.rounds.create(
      {
        name: 'Mixed benchmark',
        frameworkId: FRAMEWORK_ID,
        frameworkVersion: version,
        importId,
        dueDate: '2099-01-31',
        seed: 11,
        filters: {},
        size: { kind: 'fixed', total: auditors },
        stratifyBy: 'team',
        exclusions: { auditedWithinMonths: null, inOtherOpenRound: false, closed: true, restricted: true },
        auditors: [{ userId: auditor.id, capacity: auditors }],
      },
      SYSTEM_ACTOR,
    );
    const auditIds = (await services.rounds.get(roundId, SYSTEM_ACTOR)).audits
      .filter((a) => a.auditorUserId === auditor.id && a.status !== 'submitted')
      .map((a) => a.id);
    if (auditIds.length < auditors)
      throw new Error(`the mixed round has ${auditIds.length} audits, not ${auditors}`);
    const { framework } = await services.frameworks.get(FRAMEWORK_ID, version);
    const responseJson = JSON.stringify(completeResponse(framework, () => 1));
    const tokenFor = async (user: DemoUser) =>
      (await services.tokens.create({ email: userEmail(user), name: 'Mixed benchmark' }, SYSTEM_ACTOR)).token;
    const manager = DEMO_USERS.find((u) => 'managerOf' in u) as DemoUser;
    const director = DEMO_USERS.find((u) => u.roles.includes('director')) as DemoUser;
    const tokens = {
      auditor: await tokenFor(DEMO_USERS[1] as DemoUser),
      manager: await tokenFor(manager),
      director: await tokenFor(director),
    };

    server = await serveInChild(bench.db.url);
    const { child, url } = server;
    const backendPids = async () =>
      (
        await knex('pg_stat_activity')
          .where({ application_name: APPLICATION_NAME, datname: knex.raw('current_database()') })
          .pluck<number[]>('pid')
      ).map(Number);

    const latencies = new Map<Kind, number[]>();
    const errors = new Map<string, number>();
    let measuring = false;
    let stopAt = 0;
    let conflicts = 0;

    const send = async (kind: Kind, token: string, method: string, path: string, body?: string) => {
      const started = performance.now();
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body,
      });
      const text = await res.text();
      const ms = performance.now() - started;
      if (res.status === 409) conflicts++;
      if (!res.ok && measuring) {
        const key = `${kind} ${res.status}`;
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
      if (res.ok && measuring) {
        let list = latencies.get(kind);
        if (!list) latencies.set(kind, (list = []));
        list.push(ms);
      }
      return { ok: res.ok, json: res.ok ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    };

    const auditorLoop = async (auditId: number) => {
      const path = `/api/audits/${auditId}`;
      let step = 0;
      while (performance.now() < stopAt) {
        const opened = await send('open audit', tokens.auditor, 'GET', path);
        let v = opened.json?.version as number;
        const status = opened.json?.status as string | undefined;
        if (status === 'submitted') {
          const body = `{"version":${v},"reason":"Benchmark: correcting the grade rationale."}`;
          await send('reopen', tokens.auditor, 'POST', `${path}/reopen`, body);
          continue;
        }
        for (let i = 0; i < 3 && performance.now() < stopAt; i++) {
          const saved = await send(
            'save draft',
            tokens.auditor,
            'PUT',
            path,
            `{"version":${v},"response":${responseJson}}`,
          );
          if (!saved.ok) break;
          v = saved.json?.version as number;
        }
        if (++step % 5 === 0 && performance.now() < stopAt)
          await send(
            'submit',
            tokens.auditor,
            'POST',
            `${path}/submit`,
            `{"version":${v},"response":${responseJson}}`,
          );
      }
    };
    const readLoop = async (kind: Kind, token: string, path: string) => {
      while (performance.now() < stopAt) await send(kind, token, 'GET', path);
    };
    const runUsers = (seconds: number) => {
      stopAt = performance.now() + seconds * 1000;
      return Promise.all([
        ...auditIds.slice(0, auditors).map((id) => auditorLoop(id)),
        ...Array.from({ length: managers }, () => readLoop('actions', tokens.manager, '/api/remediations')),
        ...Array.from({ length: directors }, () =>
          readLoop('dashboard', tokens.director, '/api/reports/summary'),
        ),
      ]);
    };

    const rssStart = (await statsOf(child)).rssMb;
    await runUsers(WARMUP_S);
    measuring = true;
    const pidsBefore = await backendPids();
    const dbBefore = new Map(pidsBefore.map((pid) => [pid, processCpuMs(pid)]));
    const appBefore = await statsOf(child);
    const started = performance.now();
    await runUsers(durationS);
    const elapsedS = (performance.now() - started) / 1000;
    const appAfter = await statsOf(child);
    const pidsAfter = await backendPids();
    measuring = false;

    const readable = [...dbBefore.values()].some((ms) => ms !== undefined);
    let dbCpuMs = 0;
    for (const pid of new Set([...pidsBefore, ...pidsAfter])) {
      const after = processCpuMs(pid) ?? 0;
      dbCpuMs += Math.max(0, after - (dbBefore.get(pid) ?? 0));
    }
    const requests = [...latencies.values()].reduce((n, l) => n + l.length, 0);
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    const appMsPerRequest = (appAfter.cpuMs - appBefore.cpuMs) / requests;
    const dbMsPerRequest = readable ? dbCpuMs / requests : NaN;

    console.log(
      `\nMixed load: ${users} users (${auditors} auditors, ${managers} managers, ${directors} directors), ` +
        `${durationS} s after ${WARMUP_S} s of warm-up, app server in a child process`,
    );
    console.log('  request       count   p50 ms   p99 ms');
    for (const [kind, list] of latencies) {
      const sorted = [...list].sort((a, b) => a - b);
      const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] as number;
      console.log(
        `  ${kind.padEnd(12)} ${String(list.length).padStart(6)} ${median(list).toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)}`,
      );
    }
    console.log(`  throughput: ${(requests / elapsedS).toFixed(1)} requests/s; errors: ${errorCount}`);
    if (errorCount > 0)
      console.log(`  errors by request and status: ${JSON.stringify(Object.fromEntries(errors))}`);
    console.log(`  server RSS: ${rssStart.toFixed(0)} MB at start, ${appAfter.rssMb.toFixed(0)} MB at end`);
    console.log(
      `  app CPU: ${appMsPerRequest.toFixed(2)} ms/request (process.cpuUsage in the server process)`,
    );
    console.log(
      readable
        ? `  db CPU: ${dbMsPerRequest.toFixed(2)} ms/request (utime+stime of the app's ${new Set([...pidsBefore, ...pidsAfter]).size} PostgreSQL backends from /proc, before and after)`
        : '  db CPU: not measured (the PostgreSQL backends are not processes of this machine)',
    );
    if (readable)
      console.log(
        `  app servers one database core can feed: ${(appMsPerRequest / dbMsPerRequest).toFixed(1)}`,
      );

    const figure = rowsOf('mixed');
    const rows: ResultRow[] = [
      figure(`throughput, ${users} users for ${durationS} s`, Math.round(requests / elapsedS), 'req/s'),
      figure('errors', errorCount, '', { target: '0', met: errorCount === 0 }),
      ...[...latencies].map(([kind, list]) => {
        const sorted = [...list].sort((a, b) => a - b);
        return figure(`${kind} p99`, Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0), 'ms');
      }),
      figure('server RSS at end', Math.round(appAfter.rssMb), 'MB'),
      figure('app CPU per request', Number(appMsPerRequest.toFixed(2)), 'ms'),
    ];
    if (readable)
      rows.push(
        figure('db CPU per request (/proc)', Number(dbMsPerRequest.toFixed(2)), 'ms'),
        figure('app servers one db core can feed', Number((appMsPerRequest / dbMsPerRequest).toFixed(1)), ''),
      );
    if (conflicts > 0) console.log(`  (${conflicts} conflicts, counted as errors above)`);
    return rows;
  } finally {
    server?.child.removeAllListeners('exit');
    server?.child.kill();
    await bench.close();
  }
}
