import type { Knex } from 'knex';

/**
 * An escalation is seen and acknowledged by its recipient; one escalated to nobody (nobody held the role for
 * the case's team) waits on the administrators' Needs attention list until an administrator chooses who
 * receives it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('escalation', (t) => {
    t.timestamp('acknowledged_at', { useTz: true }).comment(
      'When the recipient said they had seen the concern ("I have seen this"); empty until they do.',
    );
    t.integer('acknowledged_by_user_id')
      .references('app_user.id')
      .comment('Who acknowledged it: the recipient at the time.');
    t.timestamp('routed_at', { useTz: true }).comment(
      'When an administrator chose the recipient of an escalation that had reached nobody; empty when it reached its recipient at once.',
    );
    t.integer('routed_by_user_id')
      .references('app_user.id')
      .comment('The administrator who chose the recipient.');
  });
  await knex.raw(`alter table escalation add constraint escalation_acknowledged_by_recipient_check
                  check (acknowledged_at is null or (recipient_user_id is not null and acknowledged_by_user_id is not null))`);
  await knex.raw(`alter table escalation add constraint escalation_routed_check
                  check (routed_at is null or recipient_user_id is not null)`);
  await knex.raw(`create index escalation_unrouted_idx on escalation (id) where recipient_user_id is null`);
  await knex.raw(
    `comment on column escalation.recipient_user_id is 'The user escalated to; empty while nobody holds the role for the case''s team and no administrator has chosen someone (the Needs attention list).'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    `comment on column escalation.recipient_user_id is 'The user escalated to; empty when nobody holds the role for this team (shown as a gap to fix).'`,
  );
  await knex.raw('drop index escalation_unrouted_idx');
  await knex.raw('alter table escalation drop constraint escalation_routed_check');
  await knex.raw('alter table escalation drop constraint escalation_acknowledged_by_recipient_check');
  await knex.schema.alterTable('escalation', (t) => {
    t.dropColumn('routed_by_user_id');
    t.dropColumn('routed_at');
    t.dropColumn('acknowledged_by_user_id');
    t.dropColumn('acknowledged_at');
  });
}
