import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from './database';
import { waitFor } from './server-process';

/**
 * Stopping and starting again the embedded PostgreSQL a server process started in its DATA_DIR, under the
 * running server: a throwaway cluster of the test's own, never the machine's PostgreSQL.
 */

function postmaster(dataDir: string): { pid: number; port: number } {
  const lines = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/** Stops the cluster (a fast shutdown: connections are cut) and returns the port it listened on. */
export async function stopPostgres(dataDir: string): Promise<number> {
  const { pid, port } = postmaster(dataDir);
  process.kill(pid, 'SIGINT');
  await waitFor(() => !isAlive(pid) && !existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), 15000);
  return port;
}

/** Starts the cluster again on the same port, in a process of its own; `stop()` stops it for good. */
export async function restartPostgres(dataDir: string, port: number): Promise<{ stop(): Promise<void> }> {
  const child = fork(path.join(__dirname, 'postgres-process.ts'), [dataDir, String(port)], {
    execArgv: ['--import', 'tsx'],
  });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', reject);
  });
  return {
    async stop() {
      child.send('stop');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** The connection string of the cluster, for the test's own setup (users, tokens) while it runs. */
export function postgresUrl(dataDir: string): string {
  const { user, password } = JSON.parse(
    readFileSync(path.join(dataDir, 'postgres-credentials.json'), 'utf8'),
  ) as { user: string; password: string };
  const { port } = postmaster(dataDir);
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}
