import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import pino from 'pino';
import { SYSTEM_ACTOR } from '../src/activity-log/actor';
import { loadConfig, type Config } from '../src/config';
import { createKnex } from '../src/db/connection';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded';
import { migrateLatest } from '../src/db/migrations';
import { seedDemo } from '../src/demo/seed';
import { createInfrastructure, type Infrastructure } from '../src/infrastructure';
import { createLogger } from '../src/logger';
import { FRAMEWORKS_DIR } from '../src/paths';
import { createServices, type Services } from '../src/services';
import { runInfo } from './results';

export interface BenchDatabase {
  /** URL of a fresh database for this run. */
  url: string;
  close(): Promise<void>;
}

/** A fresh database: on DATABASE_URL's server when set, else on an embedded PostgreSQL started for the run. */
export async function benchDatabase(): Promise<BenchDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let dir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dir = mkdtempSync(path.join(tmpdir(), 'case-audit-bench-db-'));
    chmodSync(dir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: dir, logger: createLogger('warn') });
    adminUrl = embedded.url;
  }
  const name = `case_audit_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  runInfo.postgres ??= (await admin.query<{ v: string }>("select current_setting('server_version') as v"))
    .rows[0]?.v;
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async close() {
      if (process.env.BENCH_KEEP_DATABASE) {
        console.log(`  kept the database ${name} (BENCH_KEEP_DATABASE)`);
        return;
      }
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
      await embedded?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export interface BenchServices {
  db: BenchDatabase;
  config: Config;
  knex: Knex;
  infrastructure: Infrastructure;
  services: Services;
  close(): Promise<void>;
}

/**
 * The service as the server builds it, on a fresh migrated database with the frameworks of
 * audit-frameworks/ and the demo organisation: requests are logged at info, as in production, but to
 * /dev/null rather than the benchmark's output.
 */
export async function benchServices(): Promise<BenchServices> {
  const db = await benchDatabase();
  const logDestination = pino.destination({ dest: '/dev/null', sync: false });
  const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'info' });
  const knex = createKnex({
    url: db.url,
    poolMax: config.databasePoolMax,
    applicationName: 'case-audit-bench',
  });
  let infrastructure: Infrastructure | undefined;
  const close = async () => {
    await infrastructure?.identityCache.close();
    await knex.destroy();
    logDestination.end();
    await db.close();
  };
  try {
    await migrateLatest(knex);
    infrastructure = createInfrastructure(config, createLogger(config.logLevel, logDestination), knex);
    const services = createServices(infrastructure);
    await services.frameworks.loadDirectory(FRAMEWORKS_DIR, SYSTEM_ACTOR);
    await seedDemo(infrastructure.db, services.activityLog, SYSTEM_ACTOR);
    return { db, config, knex, infrastructure, services, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** An HTTP server for the app on a free local port. */
export function listen(app: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

/** Stops a server from listen(), dropping its kept-alive connections. */
export function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A case list of `cases` rows (their cases inserted by the caller), as an import that succeeded: its id. */
export async function insertImport(knex: Knex, sourceName: string, cases: number): Promise<number> {
  const [imported] = await knex('case_import')
    .insert({
      format: 'native',
      source_name: sourceName,
      mode: 'all-or-nothing',
      unknown_teams: 'reject',
      status: 'imported',
      rows_read: cases,
      cases_imported: cases,
      finished_at: knex.fn.now(),
    })
    .returning<{ id: number }[]>('id');
  return (imported as { id: number }).id;
}
