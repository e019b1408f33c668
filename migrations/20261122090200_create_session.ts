import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('session', (t) => {
    t.comment('Browser sessions, so that any server node can serve any request. Expired rows are pruned.');
    t.text('sid').primary().comment('Session id, as held (signed) in the session cookie.');
    t.jsonb('sess')
      .notNullable()
      .comment('Session data: the signed-in user id, sign-in time and CSRF token.');
    t.timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('When the session ends if unused (idle timeout).');
    t.integer('user_id')
      .references('app_user.id')
      .onDelete('CASCADE')
      .comment('The signed-in user, so their sessions can be ended.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the session began.');
    t.index(['expires_at'], 'session_expires_at_idx');
    t.index(['user_id'], 'session_user_id_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('session');
}
