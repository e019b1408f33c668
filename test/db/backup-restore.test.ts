import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { createTestContext, type TestContext } from '../support/app';
import { createEmptyDatabase, type TestDatabase } from '../support/database';

const run = promisify(execFile);

/** The README's backup commands, as they are: a custom-format dump restored into a new database. */
const haveTools = ['pg_dump', 'pg_restore'].every((tool) => spawnSync(tool, ['--version']).status === 0);
if (!haveTools)
  console.warn(
    'backup-restore: skipped, pg_dump or pg_restore is not on PATH (install the PostgreSQL client)',
  );
const describeWithTools = haveTools ? describe : describe.skip;

const SCHEMAS = ['public', 'pgboss'];

/** Every table's row count and a digest of its rows in a fixed order. */
async function fingerprint(knex: Knex): Promise<Record<string, { rows: number; md5: string | null }>> {
  const tables = await knex('pg_tables')
    .whereIn('schemaname', SCHEMAS)
    .orderBy(['schemaname', 'tablename'])
    .select<{ schemaname: string; tablename: string }[]>('schemaname', 'tablename');
  const result: Record<string, { rows: number; md5: string | null }> = {};
  for (const { schemaname, tablename } of tables) {
    const {
      rows: [row],
    } = await knex.raw<{ rows: { rows: number; md5: string | null }[] }>(
      `select count(*)::int as rows, md5(string_agg(t::text, ',' order by t::text)) as md5 from ??.?? t`,
      [schemaname, tablename],
    );
    result[`${schemaname}.${tablename}`] = row as { rows: number; md5: string | null };
  }
  return result;
}

describeWithTools('a backup with pg_dump restored with pg_restore', () => {
  let ctx: TestContext;
  let restored: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    ctx = await createTestContext({ activity: true });
    restored = await createEmptyDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'case-audit-backup-'));
  }, 180_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await restored.drop();
    await ctx.close();
  });

  it('gives a new database the same rows in every table', async () => {
    const dump = path.join(dir, 'case-audit.dump');
    await run('pg_dump', ['--format=custom', '--file', dump, '--dbname', ctx.db.url]);
    await run('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', restored.url, dump]);

    const original = await fingerprint(ctx.db.knex);
    // A test that could not fail: the seeded data must be there to compare.
    expect(Object.keys(original)).toEqual(expect.arrayContaining(['public.audit', 'public.case_record']));
    expect(original['public.audit']?.rows).toBeGreaterThan(0);
    expect(await fingerprint(restored.knex)).toEqual(original);
  });
});
