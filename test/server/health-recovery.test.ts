import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { restartPostgres, stopPostgres } from '../support/postgres-outage';
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

describe('when PostgreSQL stops and starts again under a running server', () => {
  it('reports 503 without crashing, then 200 again without a restart', async () => {
    server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: '0' });
    await request(server.url).get('/health').expect(200);

    const port = await stopPostgres(dataDir);

    const down = await request(server.url).get('/health').expect(503);
    expect(down.body).toMatchObject({ status: 'DOWN', checks: { database: { status: 'DOWN' } } });
    expect(down.headers['retry-after']).toMatch(/^\d+$/);
    await request(server.url).get('/ping').expect(200);
    expect(server.child.exitCode).toBeNull();

    const restarted = await restartPostgres(dataDir, port);
    try {
      const { url } = server;
      await waitFor(async () => (await request(url).get('/health')).status === 200, 15000);
      expect(server.child.exitCode).toBeNull();
    } finally {
      await restarted.stop();
    }
  });
});
