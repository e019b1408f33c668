import type { Knex } from 'knex';

const ROLES = [
  ['admin', 'Administrator', 'Loads frameworks, imports case lists, plans audit rounds and manages users.'],
  ['auditor', 'Auditor', 'Grades allocated case files against an audit framework.'],
  ['moderator', 'Moderator', 'Second-looks a share of audits and agrees or changes their grades.'],
  ['team_manager', 'Team manager', "Owns the actions raised on their teams' cases."],
  ['head_of_service', 'Head of service', 'Oversees the teams of a service area and receives escalations.'],
  ['director', 'Director', 'Receives aggregate reports and the monthly board pack; no child-level detail.'],
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('role', (t) => {
    t.comment('The roles a user can hold; what each may do is decided in code (src/auth/access.ts).');
    t.text('code').primary().comment('Role code used in code and tokens.');
    t.text('label').notNullable().comment('Name shown to users.');
    t.text('description').notNullable().comment('What people in this role do.');
  });
  await knex('role').insert(ROLES.map(([code, label, description]) => ({ code, label, description })));

  await knex.schema.createTable('app_user', (t) => {
    t.comment(
      'Someone who can sign in. Single sign-on users are matched on (tenant_id, external_subject_id).',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.text('email').notNullable().comment('Work email; unique regardless of case.');
    t.text('display_name').notNullable().comment('Name shown in the header and in the audit log.');
    t.integer('person_id')
      .unique()
      .references('person.id')
      .comment('Their staff record, which gives their own team (for conflicts of interest).');
    t.text('tenant_id').comment(
      'Identity provider tenant (for example the Entra ID tenant id), for single sign-on.',
    );
    t.text('external_subject_id').comment(
      "The identity provider's stable subject id (SAML NameID), for single sign-on.",
    );
    t.boolean('active')
      .notNullable()
      .defaultTo(true)
      .comment('False blocks sign-in and API tokens; users are never deleted.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the user was added.');
    t.timestamp('last_signed_in_at', { useTz: true }).comment('When the user last signed in.');
    t.unique(['tenant_id', 'external_subject_id'], { indexName: 'app_user_external_subject_unique' });
  });
  await knex.raw('create unique index app_user_email_lower_unique on app_user (lower(email))');

  await knex.schema.createTable('user_role', (t) => {
    t.comment('Roles held by each user; a user may hold several.');
    t.integer('user_id').notNullable().references('app_user.id').onDelete('CASCADE').comment('The user.');
    t.text('role_code').notNullable().references('role.code').comment('The role held.');
    t.timestamp('granted_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the role was granted.');
    t.primary(['user_id', 'role_code']);
  });

  await knex.schema.createTable('user_team', (t) => {
    t.comment('Teams a user answers for as team manager; scopes what they see.');
    t.integer('user_id').notNullable().references('app_user.id').onDelete('CASCADE').comment('The user.');
    t.integer('team_id').notNullable().references('team.id').comment('A team they manage.');
    t.primary(['user_id', 'team_id']);
  });

  await knex.schema.createTable('user_service_area', (t) => {
    t.comment('Service areas a user leads as head of service; they see every team in them.');
    t.integer('user_id').notNullable().references('app_user.id').onDelete('CASCADE').comment('The user.');
    t.integer('service_area_id')
      .notNullable()
      .references('service_area.id')
      .comment('A service area they lead.');
    t.primary(['user_id', 'service_area_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_service_area');
  await knex.schema.dropTable('user_team');
  await knex.schema.dropTable('user_role');
  await knex.schema.dropTable('app_user');
  await knex.schema.dropTable('role');
}
