import type { Knex } from 'knex';

/**
 * A case import is recorded as running when it starts, in a transaction of its own, and the import's own
 * transaction holds that row locked until it ends as imported or refused. A server that dies part-way (a
 * crash, a kill, a lost database connection) leaves no cases, since the import's transaction rolls back,
 * but it would leave no trace either: the admin could not tell an import that failed from one never made.
 * Running imports whose row nobody holds are marked failed when a server starts and by the hourly sweep.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table case_import drop constraint case_import_status_check`);
  await knex.raw(
    `alter table case_import add constraint case_import_status_check
     check (status in ('running', 'imported', 'refused', 'failed'))`,
  );
  await knex.raw(
    `comment on column case_import.status is 'running (its transaction is still open), imported (cases written), refused (nothing written; see problems) or failed (stopped before it finished, by a server or database failure; nothing written).'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('case_import').whereIn('status', ['running', 'failed']).delete();
  await knex.raw(`alter table case_import drop constraint case_import_status_check`);
  await knex.raw(
    `alter table case_import add constraint case_import_status_check check (status in ('imported', 'refused'))`,
  );
  await knex.raw(
    `comment on column case_import.status is 'imported (cases written) or refused (nothing written; see problems).'`,
  );
}
