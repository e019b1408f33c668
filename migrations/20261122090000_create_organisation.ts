import type { Knex } from 'knex';

const TEAM_KINDS = [
  'front_door',
  'assessment',
  'family_safeguarding',
  'children_in_care',
  'care_leavers',
  'disabled_children',
  'early_help',
  'youth_justice',
  'other',
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('locality', (t) => {
    t.comment('A geographic area of the council (for example North); teams work in one.');
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.text('code').notNullable().unique().comment('Short stable code, lower case, used in URLs and imports.');
    t.text('name').notNullable().unique().comment('Name shown to users.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the row was created.');
  });

  await knex.schema.createTable('service_area', (t) => {
    t.comment(
      'A service led by a head of service (for example Safeguarding), grouping teams across localities.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.text('code').notNullable().unique().comment('Short stable code, lower case.');
    t.text('name').notNullable().unique().comment('Name shown to users.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the row was created.');
  });

  await knex.schema.createTable('team', (t) => {
    t.comment('A social work team. Cases are allocated to teams; team managers answer for their teams.');
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.text('code').notNullable().unique().comment('Short stable code, lower case.');
    t.text('name')
      .notNullable()
      .comment('Name as the case-management system spells it; matched case-insensitively on import.');
    t.text('kind')
      .notNullable()
      .defaultTo('other')
      .checkIn([...TEAM_KINDS], 'team_kind_check')
      .comment(`Kind of work: ${TEAM_KINDS.join(', ')}.`);
    t.integer('locality_id').references('locality.id').comment('Locality the team works in, if any.');
    t.integer('service_area_id')
      .references('service_area.id')
      .comment('Service area the team belongs to; unknown for teams first seen in an import.');
    t.boolean('active')
      .notNullable()
      .defaultTo(true)
      .comment('False once the team is closed; kept for history.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the row was created.');
  });
  await knex.raw('create unique index team_name_lower_unique on team (lower(name))');
  await knex.raw('create index team_service_area_idx on team (service_area_id)');

  await knex.schema.createTable('person', (t) => {
    t.comment(
      'A member of staff who may hold cases or manage a team (social workers, practice and team managers). Staff only: children are never stored by name.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.text('display_name')
      .notNullable()
      .comment('Name as the case-management system shows it (matched on import as "Allocated Worker").');
    t.text('job_title').comment('Job title, for example Social Worker or Team Manager.');
    t.integer('team_id').references('team.id').comment('Team the person works in.');
    t.integer('line_manager_id')
      .references('person.id')
      .comment('The person who manages them; used to avoid conflicts of interest in allocation.');
    t.text('email').comment('Work email, if known.');
    t.text('external_ref').unique().comment("The person's id in the case-management system, if known.");
    t.boolean('active')
      .notNullable()
      .defaultTo(true)
      .comment('False once the person has left; kept for history.');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the row was created.');
  });
  await knex.raw('create unique index person_email_lower_unique on person (lower(email))');
  await knex.raw('create index person_team_idx on person (team_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('person');
  await knex.schema.dropTable('team');
  await knex.schema.dropTable('service_area');
  await knex.schema.dropTable('locality');
}
