import type { Knex } from 'knex';

/** The monthly board packs: each kept as made, immutable, with its hash; making one again adds a version. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_pack', (t) => {
    t.comment(
      'A monthly board pack (PDF) as it was made: never changed afterwards. Making the month’s pack again adds a new version beside it. Every download is in the audit log.',
    );
    t.increments('id').comment('Surrogate key.');
    t.text('month').notNullable().comment('The month it covers, YYYY-MM.');
    t.text('scope')
      .notNullable()
      .comment('The part of the service it covers: "all", or "teams:" and the team ids, comma-separated.');
    t.text('scope_label').notNullable().comment('That part of the service in words, as the pack says it.');
    t.integer('version').notNullable().comment('1 for the month’s first pack of this scope, then 2, 3…');
    t.binary('pdf').notNullable().comment('The PDF.');
    t.text('sha256')
      .notNullable()
      .comment('SHA-256 of the PDF, hex: what was sent to the board can be checked.');
    t.integer('pages').notNullable().comment('Number of pages.');
    t.timestamp('snapshot_at', { useTz: true }).notNullable().comment('When the figures in it were read.');
    t.integer('created_by_user_id')
      .references('app_user.id')
      .comment('Who asked for it; empty when the schedule made it.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it was stored.');
    t.unique(['month', 'scope', 'version'], { indexName: 'report_pack_version_unique' });
  });
  await knex.raw(
    `alter table report_pack add constraint report_pack_month_check check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_pack');
}
