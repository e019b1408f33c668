import { execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../src/paths';
import { sized } from './options';
import { medianOf, rowsOf, type ResultRow } from './results';
import { median, seconds } from './support';

/**
 * `npm start` as a developer runs it, from spawn to the first 200 from /health, in a throwaway copy of the
 * project (the files git would commit, with node_modules linked: no dist/, no stylesheet, as a fresh clone)
 * and a throwaway DATA_DIR with the embedded PostgreSQL (no DATABASE_URL):
 *   first start: builds everything, creates the cluster, migrates and seeds the demo
 *   second start: nothing to build, the database already there
 *   after editing one source file: that file is compiled again
 *   the server alone: `node dist/src/server.js`, what a start costs without any build step
 * and as the reference, in the same copy and run, the start-up this replaced: `npm start` that compiled all
 * the TypeScript (`tsc -p`) and the stylesheet (the sass CLI) on every start.
 */

/** Runs of each kind but the first start (whose database is new only once): 3 with --full. */
const RUNS = sized(3, 1);
const TIMEOUT_MS = 180_000;
/** The target: a second start under 3 s. */
const TARGET_MS = 3000;

/** The start-up this replaced, as it was in package.json. */
const ALWAYS_REBUILD = {
  'bench:always-rebuild': 'npm run bench:build-all --silent && node --enable-source-maps dist/src/server.js',
  'bench:build-all':
    'tsc -p tsconfig.build.json && sass --pkg-importer=node --style=compressed --no-source-map src/styles/application.scss public/stylesheets/application.css',
};

/** A copy of the project as a fresh clone has it: committed and new (not ignored) files, node_modules linked. */
function freshCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'case-audit-bench-clone-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT_DIR,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    try {
      cpSync(path.join(ROOT_DIR, file), path.join(dir, file));
    } catch {
      // listed by git but deleted in the working tree
    }
  }
  symlinkSync(path.join(ROOT_DIR, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  Object.assign(manifest.scripts, ALWAYS_REBUILD);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'case-audit-bench-data-'));
  // PostgreSQL runs as the `postgres` user when this runs as root: it must be able to enter the folder.
  chmodSync(dir, 0o755);
  return dir;
}

const RUNNING = /Case Audit is running at (http:\/\/\S+)/;
/** What scripts/build.mjs says it did. */
const BUILT = /Build \(.*/;

interface Start {
  ms: number;
  build: string | undefined;
}

/** Whether any process of the group is left. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a command in its own process group (npm, its shell, the build, the server and its PostgreSQL), times
 * it to the first 200 from /health, then stops the whole group with SIGTERM (as Ctrl+C would) and waits for
 * every process of it to end, so the next start finds the database free.
 */
async function timeStart(command: string[], cwd: string, dataDir: string): Promise<Start> {
  const started = performance.now();
  const child = spawn(command[0] as string, command.slice(1), {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      PORT: '0',
      DATA_DIR: dataDir,
      npm_config_update_notifier: 'false',
    },
  });
  const pgid = child.pid as number;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    while (performance.now() - started < TIMEOUT_MS) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output}`);
      const url = RUNNING.exec(output)?.[1];
      if (url) {
        try {
          if ((await fetch(`${url}/health`)).status === 200)
            return { ms: performance.now() - started, build: BUILT.exec(output)?.[0] };
        } catch {
          // not answering yet
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no 200 from /health within ${TIMEOUT_MS / 1000} s:\n${output}`);
  } finally {
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    while (groupAlive(pgid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  }
}

/** The median time, and what the build said on each run. */
async function timeRuns(runs: number, run: () => Promise<Start>): Promise<Start> {
  const starts: Start[] = [];
  for (let i = 0; i < runs; i++) starts.push(await run());
  const builds = [...new Set(starts.map((start) => start.build).filter(Boolean))];
  return { ms: median(starts.map((start) => start.ms)), build: builds.join(' | ') || undefined };
}

export async function benchStartup(): Promise<ResultRow[]> {
  const clone = freshCopy();
  const dataDir = newDataDir();
  const npmStart = ['npm', 'start', '--silent'];
  try {
    const first = await timeStart(npmStart, clone, dataDir);
    const second = await timeRuns(RUNS, () => timeStart(npmStart, clone, dataDir));
    const edited = await timeRuns(RUNS, () => {
      appendFileSync(path.join(clone, 'src', 'paths.ts'), '// edited\n');
      return timeStart(npmStart, clone, dataDir);
    });
    const serverAlone = await timeRuns(RUNS, () =>
      timeStart([process.execPath, '--enable-source-maps', 'dist/src/server.js'], clone, dataDir),
    );
    const rebuildAll = await timeRuns(RUNS, () =>
      timeStart(['npm', 'run', 'bench:always-rebuild', '--silent'], clone, dataDir),
    );

    const row = (label: string, { ms, build }: Start, note = '') =>
      console.log(
        `  ${label.padEnd(58)}${seconds(ms).padStart(9)}${note ? `  ${note}` : ''}${build ? `  ${build}` : ''}`,
      );
    console.log(
      `\nnpm start to the first /health 200 (embedded PostgreSQL, new DATA_DIR; ${RUNS === 1 ? 'one run of each' : `median of ${RUNS} unless one run`}; Node ${process.version})`,
    );
    row('first start (fresh clone: builds everything, new database)', first, '1 run');
    row('second start (nothing changed)', second);
    row('after editing one source file', edited);
    row('the server alone (node dist/src/server.js, no build step)', serverAlone);
    row('reference: the old npm start, rebuilding everything', rebuildAll);
    console.log(
      `\nratio: second start ${(second.ms / first.ms).toFixed(2)}x the first start, ${(second.ms / rebuildAll.ms).toFixed(2)}x the old always-rebuild start; npm and the build check add ${seconds(second.ms - serverAlone.ms)} to the server alone. Target: second start under 3 s: ${second.ms < TARGET_MS ? 'met' : 'missed'}.`,
    );
    const runs = medianOf(RUNS);
    const figure = rowsOf('startup');
    const resultRow = (label: string, start: Start, extra: Partial<ResultRow> = {}) =>
      figure(label, start.ms / 1000, 's', extra);
    const reference = rebuildAll.ms / 1000;
    return [
      resultRow('first start (fresh clone: builds everything, new database), 1 run', first),
      resultRow(`second start (nothing changed), ${runs}`, second, {
        reference,
        target: '< 3 s',
        met: second.ms < TARGET_MS,
      }),
      resultRow(`after editing one source file, ${runs}`, edited, { reference }),
      resultRow(`the server alone (node dist/src/server.js), ${runs}`, serverAlone),
      resultRow(`reference: the old npm start, rebuilding everything, ${runs}`, rebuildAll),
    ];
  } finally {
    rmSync(clone, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
