import type { Knex } from 'knex';

/**
 * Every committed change to the database, noted by triggers on every table, so a test can say which
 * request changed what: a request refused with a 4xx must change nothing. Cheap enough to ask after each
 * request, and exact where a snapshot of table checksums would miss a change that was made and undone.
 *
 * Left out, as they change on requests of any outcome by design:
 * - `session`: the session store saves the session (its CSRF token, notices) on any request that has one;
 * - `rate_limit`: counts every attempt, refused ones most of all;
 * - `api_token.last_used_at`: stamped when a token is used, refused request or not (at most once a minute);
 * - `audit_event` rows of action `*.view`: a page re-shown with its errors still shows the case it is about,
 *   and every view of case data is recorded.
 * The `pgboss` schema is watched for new jobs only: pg-boss updates its own rows as it works.
 */

export interface Change {
  id: number;
  table: string;
  op: 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';
  row: Record<string, unknown> | null;
}

const LOG = 'test_change_log';
const IGNORED = new Set(['session', 'rate_limit', 'knex_migrations_lock', LOG]);

export interface ChangeWatch {
  /** The changes committed since the last call (or since the watch began). */
  since(): Promise<Change[]>;
}

/** Installs the triggers in this (throwaway) database and starts watching. */
export async function watchChanges(knex: Knex): Promise<ChangeWatch> {
  await knex.raw(`
    create table ${LOG} (id bigserial primary key, table_name text not null, op text not null, row jsonb);
    create function test_note_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'TRUNCATE' then
        insert into ${LOG} (table_name, op) values (tg_table_name, tg_op);
        return null;
      end if;
      if tg_op = 'UPDATE' and (to_jsonb(new) - 'last_used_at') = (to_jsonb(old) - 'last_used_at') then
        return null;
      end if;
      -- Nested, as PL/pgSQL does not stop at the first false condition, and only this table has an action.
      if tg_op = 'INSERT' and tg_table_name = 'audit_event' then
        if new.action like '%.view' then
          return null;
        end if;
      end if;
      insert into ${LOG} (table_name, op, row)
        values (tg_table_name, tg_op, to_jsonb(case when tg_op = 'DELETE' then old else new end));
      return null;
    end $$;`);
  const { rows } = await knex.raw<{ rows: { name: string }[] }>(
    `select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  for (const { name } of rows.filter((r) => !IGNORED.has(r.name))) {
    await knex.raw(
      `create trigger test_note_change after insert or update or delete on ?? for each row execute function test_note_change()`,
      [name],
    );
    await knex.raw(
      `create trigger test_note_truncate after truncate on ?? for each statement execute function test_note_change()`,
      [name],
    );
  }
  await knex.raw(
    `create trigger test_note_change after insert on pgboss.job for each row execute function test_note_change()`,
  );
  let last = 0;
  return {
    async since() {
      const rows: Change[] = await knex(LOG)
        .where('id', '>', last)
        .orderBy('id')
        .select('id', 'table_name as table', 'op', 'row');
      const changes = rows.map((c) => ({ ...c, id: Number(c.id) }));
      last = changes.at(-1)?.id ?? last;
      return changes;
    },
  };
}

/** A change in a line, for a failure message: the table, what was done, and the row's id. */
export function describeChange(change: Change): string {
  const id = change.row?.id ?? change.row?.key;
  return `${change.op} ${change.table}${id === undefined ? '' : ` ${JSON.stringify(id)}`}`;
}

/**
 * What a refused case list leaves, by design: the import's own record (written as running when the import
 * starts, so that a server dying part-way leaves it to be shown as failed, then marked refused) and its
 * event, so the refusal can be seen and explained later; and, from the upload form, the file kept for the
 * step where its columns can be mapped.
 */
export function isRefusedImportRecord(change: Change): boolean {
  const row = change.row ?? {};
  if (change.table === 'case_import')
    return change.op === 'INSERT'
      ? row.status === 'running'
      : change.op === 'UPDATE' && row.status === 'refused';
  if (change.table === 'audit_event') return change.op === 'INSERT' && row.action === 'case_import.refuse';
  return change.table === 'case_import_pending' && change.op === 'INSERT';
}
