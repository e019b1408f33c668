import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { MIGRATIONS_DIR } from '../paths';

const MIGRATION_FILE = /^\d{14}_[a-z0-9_]+\.(ts|js)$/;
/** Any constant works: it only has to be the same for every process of this application. */
const MIGRATION_LOCK_KEY = 0x0ca5e_a0d17;

/**
 * Lists migrations from `migrations/` (TypeScript in development and tests, compiled JavaScript in `dist/`).
 * Names are stored without their extension, so the same database works with either.
 */
export class MigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly dir: string = MIGRATIONS_DIR) {}

  getMigrations(): Promise<string[]> {
    return Promise.resolve(
      readdirSync(this.dir)
        .filter((file) => MIGRATION_FILE.test(file))
        .sort(),
    );
  }

  getMigrationName(file: string): string {
    return file.replace(/\.(ts|js)$/, '');
  }

  getMigration(file: string): Promise<Knex.Migration> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- migrations are loaded by file name
    return Promise.resolve(require(path.join(this.dir, file)) as Knex.Migration);
  }
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

function explain(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/migration directory is corrupt/i.test(message)) {
    return `${message}. The database has migrations this version of Case Audit does not know: is an older version running against a newer database?`;
  }
  return message;
}

/**
 * Brings the schema up to date. Concurrent starts queue on an advisory lock (knex's own lock makes a second
 * process fail rather than wait), and each batch runs in one transaction, so a failure leaves the schema as
 * it was.
 */
export async function migrateLatest(db: Knex): Promise<string[]> {
  try {
    return await db.transaction(async (lock) => {
      await lock.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
      const [, applied] = (await db.migrate.latest({ migrationSource: new MigrationSource() })) as [
        number,
        string[],
      ];
      return applied;
    });
  } catch (err) {
    throw new MigrationError(`Database migration failed: ${explain(err)}`, { cause: err });
  }
}

/** Undoes every migration, newest first (used by tests and by `cli migrate --down-all`). */
export async function migrateDownAll(db: Knex): Promise<void> {
  await db.migrate.rollback({ migrationSource: new MigrationSource() }, true);
}
