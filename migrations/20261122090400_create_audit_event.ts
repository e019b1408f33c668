import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_event', (t) => {
    t.comment(
      'Append-only record of who did what to which record, and who viewed case-level data. Written in the same transaction as the change. Triggers refuse UPDATE, DELETE and TRUNCATE.',
    );
    t.specificType('id', 'bigint generated always as identity').primary().comment('Order of recording.');
    t.timestamp('occurred_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.raw('clock_timestamp()'))
      .comment('When it happened.');
    t.text('actor_kind')
      .notNullable()
      .checkIn(['user', 'token', 'system'], 'audit_event_actor_kind_check')
      .comment('user (browser session), token (API client) or system (start-up, seeding, scheduled jobs).');
    t.integer('actor_user_id')
      .references('app_user.id')
      .comment('The user who acted (also set for tokens: the user the token acts as).');
    t.integer('actor_token_id').references('api_token.id').comment('The API token used, if any.');
    t.text('action')
      .notNullable()
      .comment('What was done, as noun.verb (for example user.sign_in, case.view).');
    t.text('record_type').notNullable().comment('Kind of record acted on (table or domain name).');
    t.text('record_id').comment('Id of the record acted on.');
    t.text('request_id').comment('The request id (X-Request-Id), to join with the logs.');
    t.jsonb('summary')
      .notNullable()
      .defaultTo('{}')
      .comment('Before and after values of structured fields; never free-text case content.');
    t.index(['record_type', 'record_id'], 'audit_event_record_idx');
    t.index(['actor_user_id', 'occurred_at'], 'audit_event_actor_idx');
  });

  await knex.raw(`
    create function audit_event_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$`);
  await knex.raw("comment on function audit_event_refuse_change() is 'Keeps audit_event append-only.'");
  await knex.raw(`create trigger audit_event_no_update_or_delete before update or delete on audit_event
    for each row execute function audit_event_refuse_change()`);
  await knex.raw(`create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_refuse_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_event');
  await knex.raw('drop function audit_event_refuse_change()');
}
