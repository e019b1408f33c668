import type { Knex } from 'knex';

let made = 0;

/**
 * Makes the database refuse inserts into `table` (those matching `when`, a trigger WHEN condition on
 * `new`), as a step failing half-way through a service's work would. Returns the function that lifts it.
 * A real failure inside the real transaction: no mock stands in for the database.
 */
export async function failInserts(knex: Knex, table: string, when = 'true'): Promise<() => Promise<void>> {
  made += 1;
  const name = `test_fail_${table}_${made}`;
  await knex.raw(`create function ${name}() returns trigger language plpgsql as $$
    begin raise exception 'injected failure writing ${table}' using errcode = 'P0001'; end $$`);
  await knex.raw(
    `create trigger ${name} before insert on ${table} for each row when (${when}) execute function ${name}()`,
  );
  return async () => {
    await knex.raw(`drop trigger ${name} on ${table}`);
    await knex.raw(`drop function ${name}()`);
  };
}

/** Rows in each table, to show a failed operation left nothing behind. */
export async function rowCounts(knex: Knex, tables: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await knex(table).count<{ n: string }>('* as n').first();
    counts[table] = Number(row?.n);
  }
  return counts;
}
