import type { Knex } from 'knex';

/**
 * Column mappings admins confirm for case lists whose headers Case Audit cannot match on its own, applied by
 * themselves the next time a file with the same headers arrives; and the uploads waiting for a mapping, kept
 * for a day at most (src/cases/mapping-service.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_import_mapping', (t) => {
    t.comment(
      'A confirmed column mapping for a case list: which header feeds which field, and council values mapped to allowed ones. Applied to any sheet with the same headers. Every change is in the audit log.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.text('name').notNullable().unique('case_import_mapping_name_unique').comment('Its name, unique.');
    t.text('header_hash')
      .notNullable()
      .comment(
        'SHA-256 of the normalised headers, sorted and without repeats: how a file finds it (one mapping per header set).',
      );
    t.jsonb('headers').notNullable().comment('The normalised headers, sorted (order does not matter).');
    t.text('format')
      .notNullable()
      .checkIn(['native', 'annex-a'], 'case_import_mapping_format_check')
      .comment('native or annex-a.');
    t.integer('list').comment('The Annex A list (3 to 9) the sheet is; empty for native.');
    t.jsonb('columns')
      .notNullable()
      .comment('Normalised header → field name (its documented name), or null for a header not read.');
    t.jsonb('value_mappings')
      .notNullable()
      .defaultTo('{}')
      .comment('Field name → { council value (lower case) → allowed value }.');
    t.integer('created_by_user_id')
      .references('app_user.id')
      .comment('Who saved it (empty: the command line).');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When saved.');
    t.integer('updated_by_user_id').references('app_user.id').comment('Who changed it last.');
    t.timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When changed last.');
    t.unique(['header_hash'], { indexName: 'case_import_mapping_header_hash_unique' });
  });
  await knex.raw(`alter table case_import_mapping add constraint case_import_mapping_list_check
                  check ((format = 'native' and list is null) or (format = 'annex-a' and list between 3 and 9))`);

  await knex.schema.createTable('case_import_pending', (t) => {
    t.comment(
      'A case list upload waiting for its admin to confirm a column mapping. Deleted once imported, or after a day.',
    );
    t.uuid('id').primary().comment('Random: the address of its mapping page.');
    t.integer('user_id')
      .notNullable()
      .references('app_user.id')
      .onDelete('CASCADE')
      .comment('The admin who uploaded it: only they may map and import it.');
    t.text('file_name').notNullable().comment('The file name as uploaded.');
    t.text('kind')
      .notNullable()
      .checkIn(['csv', 'xlsx'], 'case_import_pending_kind_check')
      .comment('csv or xlsx.');
    t.jsonb('options')
      .notNullable()
      .comment('The import options chosen with the upload (mode, unknown teams, format).');
    t.jsonb('needs')
      .notNullable()
      .comment(
        'What the last attempt needed mapped: each sheet’s headers, first rows, best guesses and unknown values.',
      );
    t.binary('content')
      .notNullable()
      .comment('The file as uploaded (bounded in size; personal data: kept a day at most).');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When uploaded.');
    t.index(['created_at'], 'case_import_pending_created_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('case_import_pending');
  await knex.schema.dropTable('case_import_mapping');
}
