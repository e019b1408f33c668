import { MigrationSource, migrateLatest } from '../../src/db/migrations';
import { createEmptyDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createEmptyDatabase();
});
afterAll(() => db.drop());

const source = { migrationSource: new MigrationSource() };

async function tables(): Promise<string[]> {
  const rows = await db
    .knex('pg_tables')
    .where({ schemaname: 'public' })
    .whereNot('tablename', 'like', 'knex_%')
    .pluck('tablename');
  return (rows as string[]).sort();
}

describe('migrations', () => {
  it('are named YYYYMMDDHHMMSS_verb_object', async () => {
    const files = await new MigrationSource().getMigrations();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect(file).toMatch(/^\d{14}_(create|add|drop|alter|rename|change)_[a-z0-9_]+\.(ts|js)$/);
  });

  it('each go up, down and up again, and all the way down leaves nothing behind', async () => {
    const files = await new MigrationSource().getMigrations();
    for (const _file of files) {
      const before = await tables();
      await db.knex.migrate.up(source);
      const after = await tables();
      await db.knex.migrate.down(source);
      expect(await tables()).toEqual(before);
      await db.knex.migrate.up(source);
      expect(await tables()).toEqual(after);
    }
    const [, pending] = (await db.knex.migrate.list(source)) as [unknown[], unknown[]];
    expect(pending).toHaveLength(0);

    await db.knex.migrate.rollback(source, true);
    expect(await tables()).toEqual([]);
    const functions = await db.knex.raw(
      `select proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where nspname = 'public'`,
    );
    expect(functions.rows).toEqual([]);
  });

  it('comment every table and every column', async () => {
    await migrateLatest(db.knex);
    const uncommented = await db.knex.raw(`
      select c.relname as table_name, a.attname as column_name
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relkind = 'r' and c.relname not like 'knex_%'
        and (obj_description(c.oid, 'pg_class') is null
             or (a.attname is not null and col_description(c.oid, a.attnum) is null))`);
    expect(uncommented.rows).toEqual([]);
  });

  it('run once when several processes start together', async () => {
    await db.knex.migrate.rollback(source, true);
    const results = await Promise.all([
      migrateLatest(db.knex),
      migrateLatest(db.knex),
      migrateLatest(db.knex),
    ]);
    const applied = results.flat();
    const files = await new MigrationSource().getMigrations();
    expect(applied).toHaveLength(files.length);
    expect(new Set(applied).size).toBe(files.length);
  });
});
