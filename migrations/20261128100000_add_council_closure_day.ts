import type { Knex } from 'knex';

/**
 * The days the council itself is closed on a weekday (the Christmas shutdown, say), set by an admin. With
 * weekends and England and Wales bank holidays they are not working days: remediation due dates skip them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('council_closure_day', (t) => {
    t.comment(
      'Weekdays the council is closed besides bank holidays (the Christmas shutdown, say): not working days, so due dates counted in working days skip them. Set by an admin; every change is in the audit log.',
    );
    t.date('day').primary().comment('The day the council is closed: a Monday to Friday.');
    t.text('reason')
      .notNullable()
      .comment('Why the council is closed that day, as the admin gave it (“Christmas shutdown”).');
    t.integer('created_by_user_id')
      .references('app_user.id')
      .comment('The admin who added the day; empty when the system did (the demo).');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the day was added.');
  });
  await knex.raw(`alter table council_closure_day add constraint council_closure_day_weekday_check
                  check (extract(isodow from day) < 6)`);
  await knex.raw(`alter table council_closure_day add constraint council_closure_day_reason_check
                  check (char_length(btrim(reason)) between 1 and 200)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('council_closure_day');
}
