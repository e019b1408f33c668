import { createKnex } from '../../src/db/connection';
import { MIGRATION_LOCK_KEY, migrateLatest } from '../../src/db/migrations';
import { createEmptyDatabase, urlFor } from '../support/database';

/** The pool's statement timeout: on every connection, and lifted where long statements are expected. */
describe('the statement timeout', () => {
  const postgres = () => createKnex({ url: urlFor('postgres'), poolMax: 3, statementTimeoutMs: 250 });

  it('is set on every connection of the pool, and cancels a statement that runs past it', async () => {
    const knex = postgres();
    try {
      const settings = await Promise.all(
        [1, 2, 3].map(() =>
          knex.transaction(async (tx) => {
            await tx.raw('select pg_sleep(0.05)');
            return (await tx.raw<{ rows: { statement_timeout: string }[] }>('show statement_timeout')).rows[0]
              ?.statement_timeout;
          }),
        ),
      );
      expect(settings).toEqual(['250ms', '250ms', '250ms']);
      await expect(knex.raw('select pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
    } finally {
      await knex.destroy();
    }
  });

  it('is lifted for migrations, which may rewrite large tables', async () => {
    const db = await createEmptyDatabase();
    const knex = createKnex({ url: db.url, poolMax: 2, statementTimeoutMs: 250 });
    try {
      // Holding the migration lock past the timeout: the migrating server waits rather than fails.
      const holder = await db.knex.transaction();
      await holder.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
      const migrating = migrateLatest(knex);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await holder.commit();
      expect((await migrating).length).toBeGreaterThan(0);
    } finally {
      await knex.destroy();
      await db.drop();
    }
  });
});
