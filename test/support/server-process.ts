import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT_DIR } from '../../src/paths';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Parsed JSON log lines so far; a line that is not JSON (LOG_FORMAT=pretty) as `{ msg: line }`. */
  logs: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<number | null>;
}

/** The line the server logs once listening, as JSON (`msg`) or as a pretty line (the whole line). */
const RUNNING = /Case Audit is running at (http:\/\/\S+)/;

/** Only what the server needs: never the test run's own DATABASE_URL unless passed explicitly. */
function baseEnv(): NodeJS.ProcessEnv {
  const { PATH, HOME, TMPDIR } = process.env;
  return { PATH, HOME, TMPDIR, NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json' };
}

/** Runs `src/server.ts` as a real process, as `npm run dev` does, and waits until it is listening. */
export function runServer(env: Record<string, string>): {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT_DIR,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stdoutRest = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (stdoutRest + chunk.toString()).split('\n');
    stdoutRest = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, logs, stderr: () => stderr, exited };
}

export async function startServer(env: Record<string, string>, timeoutMs = 30000): Promise<ServerProcess> {
  const run = runServer(env);
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void run.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    const ready = run.logs
      .map((line) => RUNNING.exec(typeof line.msg === 'string' ? line.msg : ''))
      .find(Boolean);
    if (ready) return { ...run, url: ready[1] as string };
    if (exitCode !== undefined) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  run.child.kill('SIGKILL');
  throw new Error(`server did not start:\n${JSON.stringify(run.logs)}\n${run.stderr()}`);
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
