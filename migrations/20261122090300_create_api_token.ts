import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_token', (t) => {
    t.comment('Bearer tokens for API clients. Only a hash is stored: the token is shown once, when created.');
    t.specificType('id', 'integer generated always as identity')
      .primary()
      .comment('Surrogate key, used to list and revoke tokens.');
    t.integer('user_id')
      .notNullable()
      .references('app_user.id')
      .comment('The user the token acts as; it has their roles.');
    t.text('name').notNullable().comment('What the token is for, given by whoever created it.');
    t.text('token_hash').notNullable().unique().comment('SHA-256 of the token, hex.');
    t.text('token_prefix')
      .notNullable()
      .comment('The first characters of the token, to recognise it in lists.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the token was created.');
    t.timestamp('expires_at', { useTz: true }).comment('When the token stops working; never if empty.');
    t.timestamp('last_used_at', { useTz: true }).comment('When the token was last used (to the minute).');
    t.timestamp('revoked_at', { useTz: true }).comment('When the token was revoked; it no longer works.');
    t.index(['user_id'], 'api_token_user_id_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_token');
}
