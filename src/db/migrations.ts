import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { MIGRATIONS_DIR } from '../paths';

const MIGRATION_FILE = /^\d{14}_[a-z0-9_]+\.(ts|js)$/;
/** Any constant works: it only has to be the same for every process of this application. */
export const MIGRATION_LOCK_KEY = 0x0ca5e_a0d17;

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
    const migration = require(path.join(this.dir, file)) as Knex.Migration & {
      config?: { transaction?: boolean };
    };
    // A migration may rewrite a large table: the pool's statement timeout, meant for requests, is lifted for
    // its transaction (one that runs outside a transaction manages its own).
    const unlimited =
      (step: Knex.Migration['up']) =>
      async (knex: Knex): Promise<void> => {
        if (migration.config?.transaction !== false) await knex.raw('set local statement_timeout = 0');
        await step(knex);
      };
    return Promise.resolve({
      ...migration,
      up: unlimited(migration.up),
      ...(migration.down ? { down: unlimited(migration.down) } : {}),
    });
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
      // Another server may hold the lock for as long as its migrations take.
      await lock.raw('set local statement_timeout = 0');
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
