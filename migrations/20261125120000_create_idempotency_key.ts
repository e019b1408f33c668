import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_key', (t) => {
    t.comment(
      'Changes made under an Idempotency-Key: the key is recorded in the same transaction as the change, so a retried request learns whether the first one committed and gets its result. Pruned after a day.',
    );
    t.integer('user_id')
      .notNullable()
      .references('app_user.id')
      .onDelete('CASCADE')
      .comment('Who sent the request: keys are scoped to the user, so one user cannot replay another’s.');
    t.text('key')
      .notNullable()
      .comment('The Idempotency-Key header as sent (1 to 255 printable characters).');
    t.text('fingerprint')
      .notNullable()
      .comment('SHA-256 of the method, path and body: a key reused for a different request is refused.');
    t.jsonb('result').comment('What the change returned, replayed to a retry of the same request.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the change committed.');
    t.primary(['user_id', 'key']);
    t.index(['created_at'], 'idempotency_key_created_at_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_key');
}
