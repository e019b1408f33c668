import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../src/paths';
import { sized } from './options';
import { medianOf, rowsOf, type ResultRow } from './results';
import { median } from './support';

/**
 * Idle memory and start-up time of the built server alone (no build) on the embedded database, against a
 * bare Express 5 process answering /health (the reference), measured side by side in one run.
 * (bench/startup.ts measures `npm start` as a whole, build included.)
 *   cold: a new DATA_DIR (creates the cluster, runs every migration, seeds the demo)
 *   warm: the same DATA_DIR again
 * Time is from spawn to the first 200 from /health. Memory is read from /proc after 3 s idle: the Node
 * process's RSS, and the PSS summed over the embedded PostgreSQL's processes.
 */

/** Runs of each kind: 3 cold and 5 warm with --full. */
const WARM_RUNS = sized(5, 3);
const COLD_RUNS = sized(3, 1);
const IDLE_MS = 3000;

const BARE_EXPRESS = `
const express = require('express');
const app = express();
app.get('/health', (req, res) => res.json({ status: 'UP' }));
const server = app.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

interface Sample {
  ms: number;
  rssMb: number;
  postgresPssMb: number;
}

function statusField(pid: number, field: string): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Proportional set size: shared memory split between the processes that share it, so sums are honest. */
function pssKb(pid: number): number {
  try {
    const match = /Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The embedded cluster's postmaster (from its lock file) and every process it started. */
function postgresPssKb(dataDir: string): number {
  let postmaster: number;
  try {
    postmaster = Number(
      readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
  } catch {
    return 0;
  }
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => statusField(pid, 'PPid') === postmaster);
  return [postmaster, ...children].reduce((total, pid) => total + pssKb(pid), 0);
}

async function waitForHealth(
  child: ChildProcess,
  portOf: () => number | undefined,
  started: number,
): Promise<number> {
  while (performance.now() - started < 60_000) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    const port = portOf();
    if (port) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill('SIGKILL');
  throw new Error('no 200 from /health within 60 s');
}

async function measure(command: string[], env: NodeJS.ProcessEnv, dataDir?: string): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, command, {
    cwd: ROOT_DIR,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let port: number | undefined;
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    // The server logs its URL once listening; the reference prints {"port":N}.
    const match = /"url":"http:\/\/[^"]+:(\d+)"|^\{"port":(\d+)\}$/m.exec(buffered);
    if (match) port = Number(match[1] ?? match[2]);
  });
  const ms = await waitForHealth(child, () => port, started);
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const sample = {
    ms,
    rssMb: statusField(child.pid as number, 'VmRSS') / 1024,
    postgresPssMb: dataDir ? postgresPssKb(dataDir) / 1024 : 0,
  };
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return sample;
}

const runs = (n: number) => (n === 1 ? '1 run' : `${n} runs`);
const fmt = (value: number, digits = 0) => value.toFixed(digits).padStart(7);

function serverEnv(dataDir: string): NodeJS.ProcessEnv {
  const { PATH, HOME } = process.env;
  return {
    PATH,
    HOME,
    NODE_ENV: 'development',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  };
}

function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'case-audit-bench-'));
  chmodSync(dir, 0o755);
  return dir;
}

export async function benchMemory(): Promise<ResultRow[]> {
  const server = ['--enable-source-maps', 'dist/src/server.js'];
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  const bare: Sample[] = [];
  const dirs: string[] = [];
  try {
    for (let i = 0; i < COLD_RUNS; i++) {
      const dir = newDataDir();
      dirs.push(dir);
      cold.push(await measure(server, serverEnv(dir), dir));
    }
    const warmDir = dirs[0] as string;
    for (let i = 0; i < WARM_RUNS; i++) {
      warm.push(await measure(server, serverEnv(warmDir), warmDir));
      bare.push(await measure(['-e', BARE_EXPRESS], { PATH: process.env.PATH }));
    }
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }

  const row = (name: string, samples: Sample[]) =>
    `${name.padEnd(34)}${fmt(median(samples.map((s) => s.ms)))} ms${fmt(median(samples.map((s) => s.rssMb)), 1)} MB${fmt(
      median(samples.map((s) => s.postgresPssMb)),
      1,
    )} MB`;
  const bareMs = median(bare.map((s) => s.ms));
  const bareRss = median(bare.map((s) => s.rssMb));
  console.log(`\nStart-up to first /health 200, and idle memory (median; Node ${process.version})`);
  console.log(`${''.padEnd(34)}${'time'.padStart(10)}${'node RSS'.padStart(10)}${'pg PSS'.padStart(10)}`);
  console.log(row(`Case Audit, cold (${runs(COLD_RUNS)})`, cold));
  console.log(row(`Case Audit, warm (${runs(WARM_RUNS)})`, warm));
  console.log(row(`bare Express 5 (reference, ${runs(WARM_RUNS)})`, bare));
  console.log(
    `\nratio to reference: warm start ${(median(warm.map((s) => s.ms)) / bareMs).toFixed(1)}x, cold start ${(
      median(cold.map((s) => s.ms)) / bareMs
    ).toFixed(1)}x, node RSS ${(median(warm.map((s) => s.rssMb)) / bareRss).toFixed(1)}x`,
  );
  const figure = rowsOf('memory');
  const of = (samples: Sample[], key: keyof Sample) => median(samples.map((s) => s[key]));
  const coldRuns = `cold, ${medianOf(COLD_RUNS)}`;
  const warmRuns = `warm, median of ${WARM_RUNS}`;
  return [
    figure(`start to first /health 200, ${coldRuns}`, of(cold, 'ms'), 'ms', { reference: bareMs }),
    figure(`start to first /health 200, ${warmRuns}`, of(warm, 'ms'), 'ms', { reference: bareMs }),
    figure(`reference: bare Express 5 start, median of ${WARM_RUNS}`, bareMs, 'ms'),
    figure(`idle node RSS, ${warmRuns}`, of(warm, 'rssMb'), 'MB', { reference: bareRss }),
    figure(`idle embedded PostgreSQL PSS, ${warmRuns}`, of(warm, 'postgresPssMb'), 'MB'),
    figure(`reference: bare Express 5 idle RSS, median of ${WARM_RUNS}`, bareRss, 'MB'),
  ];
}
