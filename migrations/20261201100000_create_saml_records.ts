import type { Knex } from 'knex';

/**
 * Single sign-on's one-time records, in PostgreSQL so that every app server behind a load balancer shares
 * them: the sign-in requests sent to the identity provider (a response must answer one, once), and the
 * assertions accepted (never accepted again while they are valid). Each is used up by one atomic
 * statement, so the same response posted several times at once signs in once at most.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('saml_request', (t) => {
    t.comment('A sign-in request sent to the identity provider and not yet answered.');
    t.text('id').primary().comment('The AuthnRequest ID, which the response names in InResponseTo.');
    t.timestamp('created_at', { useTz: true }).notNullable().comment('When it was sent.');
    t.timestamp('expires_at', { useTz: true }).notNullable().comment('After this it is no longer answered.');
  });
  await knex.schema.createTable('saml_assertion', (t) => {
    t.comment('An assertion accepted at sign-in, kept until it expires so that it is never accepted again.');
    t.text('id').primary().comment('The assertion ID.');
    t.timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('Its NotOnOrAfter, with the clock skew.');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('saml_assertion');
  await knex.schema.dropTable('saml_request');
}
