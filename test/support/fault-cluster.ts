import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { loadConfig } from '../../src/config';
import { createKnex } from '../../src/db/connection';
import { freePort } from '../../src/db/embedded';
import { migrateLatest } from '../../src/db/migrations';
import { seedDemo } from '../../src/demo/seed';
import { createInfrastructure, type Infrastructure } from '../../src/infrastructure';
import { createLogger } from '../../src/logger';
import { FRAMEWORKS_DIR } from '../../src/paths';
import { createServices, type Services } from '../../src/services';
import { UNLIMITED } from './app';
import { postgresUrl, stopPostgres } from './postgres-outage';
import { startServer, type ServerProcess } from './server-process';

/**
 * A throwaway embedded PostgreSQL for one fault test file, started by the test in a process of its own (so
 * servers can be killed under it), migrated and seeded with the demo organisation, with the test's own
 * services on it for setting up and checking. Servers started on it find the cluster running in their
 * DATA_DIR and use it, leaving it running when they stop or die.
 */
export interface FaultCluster {
  dataDir: string;
  port: number;
  knex: Knex;
  infrastructure: Infrastructure;
  services: Services;
  /** Starts a real server process on the cluster; `env` adds to or overrides the defaults. */
  startServer(env?: Record<string, string>): Promise<ServerProcess>;
  close(): Promise<void>;
}

function forkPostgres(dataDir: string, port: number): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, 'postgres-process.ts'), [dataDir, String(port)], {
    execArgv: ['--import', 'tsx'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the embedded PostgreSQL did not start (exit ${code})`)));
  });
}

export async function startFaultCluster(options: { seed?: boolean } = {}): Promise<FaultCluster> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'case-audit-fault-'));
  // PostgreSQL runs as the postgres user when the tests run as root: it must reach the folder.
  await chmod(dataDir, 0o755);
  const port = await freePort();
  const postgres = await forkPostgres(dataDir, port);
  const knex = createKnex({
    url: postgresUrl(dataDir),
    poolMax: 4,
    applicationName: 'case-audit-fault-test',
  });
  await migrateLatest(knex);
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: postgresUrl(dataDir), LOG_LEVEL: 'silent' });
  const infrastructure = createInfrastructure(config, createLogger('silent'), knex);
  const services = createServices(infrastructure);
  await services.frameworks.loadDirectory(FRAMEWORKS_DIR, SYSTEM_ACTOR);
  if (options.seed !== false) await seedDemo(infrastructure.db, services.activityLog, SYSTEM_ACTOR);
  const servers: ServerProcess[] = [];

  return {
    dataDir,
    port,
    knex,
    infrastructure,
    services,
    async startServer(env = {}) {
      // A minute and a half to start: on a busy machine compiling the server as it starts takes that long.
      const server = await startServer(
        { DATA_DIR: dataDir, SEED_DEMO: '0', SHUTDOWN_TIMEOUT_MS: '60000', ...UNLIMITED, ...env },
        90_000,
      );
      servers.push(server);
      return server;
    },
    async close() {
      for (const server of servers) {
        if (server.child.exitCode === null && server.child.signalCode === null) {
          server.child.kill('SIGKILL');
          await server.exited;
        }
      }
      await knex.destroy();
      if (existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))) await stopPostgres(dataDir);
      postgres.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
