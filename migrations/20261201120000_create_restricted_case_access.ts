import type { Knex } from 'knex';

/**
 * Who may see a restricted case (adoption, high profile, a member of staff's own family). A case list marks
 * a child's record restricted; only admins and the users named here see it, and only within what their
 * roles and teams already allow. Granted by case reference, so the grant follows the child across imports.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('restricted_case_access', (t) => {
    t.comment('Users granted access to a restricted case, by its case reference.');
    t.text('case_ref').notNullable().comment("The council's id for the child.");
    t.integer('user_id')
      .notNullable()
      .references('app_user.id')
      .onDelete('CASCADE')
      .comment('The user granted access.');
    t.integer('granted_by_user_id').references('app_user.id').comment('The admin who granted it.');
    t.timestamp('granted_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it was granted.');
    t.text('reason').notNullable().comment('Why this person needs to see the case.');
    t.primary(['case_ref', 'user_id']);
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('restricted_case_access');
}
