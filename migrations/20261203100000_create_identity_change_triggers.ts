import type { Knex } from 'knex';

/**
 * Who a request acts as (a user with roles, teams, service areas and restricted-case grants; or the API
 * token naming them) is cached by each app server for a short time. Any change to the tables it is built
 * from sends `NOTIFY case_audit_identity` on commit, so every server drops its cached identities at once,
 * whichever server, command or migration made the change (src/auth/identity-cache.ts).
 */
const TABLES: Record<string, string> = {
  app_user: 'insert or update or delete',
  user_role: 'insert or update or delete',
  user_team: 'insert or update or delete',
  user_service_area: 'insert or update or delete',
  restricted_case_access: 'insert or update or delete',
  // Their team (a person's, or a team's service area) decides a user's scope.
  person: 'insert or update of team_id or delete',
  team: 'insert or update of service_area_id or delete',
  // Not on last use (written once a minute per token): only what decides whether a token is usable.
  api_token: 'update of revoked_at, expires_at, token_hash, user_id or delete',
};

const trigger = (table: string) => `${table}_identity_changed`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function notify_identity_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('case_audit_identity', tg_table_name);
      return null;
    end $$`);
  await knex.raw(
    `comment on function notify_identity_changed() is 'Tells every app server (LISTEN case_audit_identity) that cached identities may be out of date.'`,
  );
  for (const [table, events] of Object.entries(TABLES)) {
    await knex.raw(
      `create trigger ${trigger(table)} after ${events} on ${table} for each statement execute function notify_identity_changed()`,
    );
    await knex.raw(
      `comment on trigger ${trigger(table)} on ${table} is 'Drops the identities app servers cache (src/auth/identity-cache.ts).'`,
    );
  }
  for (const table of Object.keys(TABLES))
    await knex.raw(
      `create trigger ${trigger(table)}_truncate after truncate on ${table} for each statement execute function notify_identity_changed()`,
    );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of Object.keys(TABLES)) {
    await knex.raw(`drop trigger if exists ${trigger(table)}_truncate on ${table}`);
    await knex.raw(`drop trigger if exists ${trigger(table)} on ${table}`);
  }
  await knex.raw('drop function if exists notify_identity_changed()');
}
