import type { Knex } from 'knex';

/** The council's targets for the measures reports show: the SPC charts' target lines and the assurance marks. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_target', (t) => {
    t.comment(
      'The council’s target for each measure reports show (% good or better, % inadequate…), set by an admin: reports compare each figure and its process limits with it. Every change is in the audit log.',
    );
    t.text('measure').primary().comment('The measure (src/reporting/measures.ts), e.g. good-or-better.');
    t.decimal('target_percent', 5, 2).notNullable().comment('The target, as a percentage from 0 to 100.');
    t.integer('updated_by_user_id').references('app_user.id').comment('The admin who set it last.');
    t.timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When set last.');
  });
  await knex.raw(`alter table report_target add constraint report_target_percent_check
                  check (target_percent between 0 and 100)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_target');
}
