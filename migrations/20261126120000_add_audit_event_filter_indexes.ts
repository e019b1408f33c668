import type { Knex } from 'knex';

/**
 * The audit log page filters by action and by date range, newest first. Without these indexes each filter
 * reads the whole append-only table, which only ever grows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index audit_event_action_idx on audit_event (action, id)');
  await knex.raw(
    "comment on index audit_event_action_idx is 'Audit log filtered by action, newest first (by id).'",
  );
  await knex.raw('create index audit_event_occurred_at_idx on audit_event (occurred_at)');
  await knex.raw(
    "comment on index audit_event_occurred_at_idx is 'Audit log filtered by the date range of when things happened.'",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index audit_event_occurred_at_idx');
  await knex.raw('drop index audit_event_action_idx');
}
