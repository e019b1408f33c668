import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import pg from 'pg';
import { createKnex } from '../../src/db/connection';
import { migrateLatest } from '../../src/db/migrations';
import { MIGRATIONS_DIR } from '../../src/paths';

const TEMPLATE_LOCK_KEY = 0x0ca5e_7e57;
const TEST_DB_PREFIX = 'case_audit_test_';
const TEMPLATE_PREFIX = 'case_audit_template_';

export interface TestDatabase {
  name: string;
  url: string;
  knex: Knex;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error('TEST_DATABASE_URL is not set: run the tests with jest, whose global setup sets it.');
  return url;
}

export function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** The template is rebuilt whenever a migration changes, and shared by every test file until then. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file).update(readFileSync(path.join(MIGRATIONS_DIR, file)));
  }
  return `${TEMPLATE_PREFIX}${hash.digest('hex').slice(0, 16)}`;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(), application_name: 'case-audit-test-admin' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Whether a process is running (a test run that left its databases behind may have ended). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Builds the migrated template once per migration set, under a lock so parallel test files wait for it. */
async function ensureTemplate(client: pg.Client): Promise<string> {
  const template = templateName();
  await client.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
  try {
    const existing = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like $1 or datname like $2`,
      [`${TEMPLATE_PREFIX}%`, `${TEST_DB_PREFIX}%`],
    );
    for (const { datname } of existing.rows) {
      const pid = Number(/^case_audit_test_(\d+)_/.exec(datname)?.[1]);
      const staleTemplate = datname.startsWith(TEMPLATE_PREFIX) && datname !== template;
      const orphanedTest = datname.startsWith(TEST_DB_PREFIX) && pid > 0 && !isAlive(pid);
      if (staleTemplate || orphanedTest)
        await client.query(`drop database if exists "${datname}" with (force)`);
    }
    if (existing.rows.some((row) => row.datname === template)) return template;

    const building = `${template}_building`;
    await client.query(`drop database if exists "${building}" with (force)`);
    await client.query(`create database "${building}"`);
    const knex = createKnex({
      url: urlFor(building),
      poolMax: 2,
      applicationName: 'case-audit-test-template',
    });
    try {
      await migrateLatest(knex);
    } finally {
      await knex.destroy();
    }
    await client.query(`alter database "${building}" rename to "${template}"`);
    return template;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
  }
}

async function createDatabase(template: 'migrated' | 'empty'): Promise<TestDatabase> {
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (client) => {
    const from = template === 'migrated' ? ` template "${await ensureTemplate(client)}"` : '';
    await client.query(`create database "${name}"${from}`);
  });
  const url = urlFor(name);
  const knex = createKnex({ url, poolMax: 10, applicationName: 'case-audit-test' });
  return {
    name,
    url,
    knex,
    async drop() {
      await knex.destroy();
      await withAdmin((client) => client.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

/** A fresh, fully migrated database for one test file, cloned from the template in a few milliseconds. */
export const createTestDatabase = () => createDatabase('migrated');

/** An empty database (no migrations), for the migration tests. */
export const createEmptyDatabase = () => createDatabase('empty');
