import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startServer, waitFor, type ServerProcess } from '../support/server-process';

let dataDir: string;
let server: ServerProcess | undefined;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'case-audit-recovery-'));
  await chmod(dataDir, 0o755);
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await rm(dataDir, { recursive: true, force: true });
});

function postmaster(): { pid: number; port: number } {
  const lines = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('when PostgreSQL stops and starts again under a running server', () => {
  it('reports 503 without crashing, then 200 again without a restart', async () => {
    server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: '0' });
    await request(server.url).get('/health').expect(200);

    const { pid, port } = postmaster();
    process.kill(pid, 'SIGINT');
    await waitFor(() => !alive(pid) && !existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), 15000);

    const down = await request(server.url).get('/health').expect(503);
    expect(down.body).toMatchObject({ status: 'DOWN', checks: { database: { status: 'DOWN' } } });
    await request(server.url).get('/ping').expect(200);
    expect(server.child.exitCode).toBeNull();

    const restarted = fork(path.join(__dirname, '../support/postgres-process.ts'), [dataDir, String(port)], {
      execArgv: ['--import', 'tsx'],
    });
    await new Promise((resolve, reject) => {
      restarted.once('message', resolve);
      restarted.once('exit', reject);
    });
    try {
      const { url } = server;
      await waitFor(async () => (await request(url).get('/health')).status === 200, 15000);
      expect(server.child.exitCode).toBeNull();
    } finally {
      restarted.send('stop');
      await new Promise((resolve) => restarted.once('exit', resolve));
    }
  });
});
