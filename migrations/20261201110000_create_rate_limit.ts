import type { Knex } from 'knex';

/**
 * Counters of recent requests by key (an address's sign-ins, a token's use), in PostgreSQL so that every
 * app server counts the same attempts. The shape is rate-limiter-flexible's PostgreSQL store's.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limit', (t) => {
    t.comment('Requests counted in the current window, by limit and key (rate-limiter-flexible).');
    t.string('key', 255).primary().comment('The limit and what is counted: "sign-in-ip:203.0.113.7".');
    t.integer('points').notNullable().defaultTo(0).comment('Requests counted in the window.');
    t.bigInteger('expire').comment('When the window ends, in milliseconds since 1970.');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit');
}
