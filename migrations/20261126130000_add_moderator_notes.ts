import type { Knex } from 'knex';

/** The moderator's own notes on each section and the overall grade, written with their blind grades. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('moderation_grade', (t) => {
    t.text('moderator_notes').comment(
      'The moderator’s notes on this section (or the overall grade), written with their own grade before seeing the auditor’s; shown at the outcome step and to admins.',
    );
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('moderation_grade', (t) => {
    t.dropColumn('moderator_notes');
  });
}
