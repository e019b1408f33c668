import type { Knex } from 'knex';

const CASE_TYPES = [
  'early-help',
  'child-in-need',
  'child-protection',
  'child-in-care',
  'care-leaver',
  'disabled-children',
  'front-door',
  'youth-justice',
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_import', (t) => {
    t.comment(
      'An import of a council case list: a population snapshot that audit rounds sample from. Refused imports are kept too, with their problems, and hold no cases.',
    );
    t.specificType('id', 'integer generated always as identity').primary().comment('Surrogate key.');
    t.text('format')
      .notNullable()
      .checkIn(['native', 'annex-a'], 'case_import_format_check')
      .comment('native (the documented CSV) or annex-a (Ofsted Annex A lists 3 to 9).');
    t.text('source_name').comment('File name the list came from.');
    t.text('mode')
      .notNullable()
      .checkIn(['all-or-nothing', 'skip-invalid'], 'case_import_mode_check')
      .comment(
        'all-or-nothing: one bad row refuses the file; skip-invalid: good rows import, bad ones are kept in case_import_rejection.',
      );
    t.text('unknown_teams')
      .notNullable()
      .checkIn(['create', 'reject'], 'case_import_unknown_teams_check')
      .comment('What to do with a team name not yet known: create the team, or reject the row.');
    t.text('status')
      .notNullable()
      .checkIn(['imported', 'refused'], 'case_import_status_check')
      .comment('imported (cases written) or refused (nothing written; see problems).');
    t.integer('imported_by_user_id')
      .references('app_user.id')
      .comment('Who imported it (empty for the command line).');
    t.timestamp('started_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the import started.');
    t.timestamp('finished_at', { useTz: true }).comment('When it finished.');
    t.integer('rows_read')
      .notNullable()
      .defaultTo(0)
      .comment('Data rows read from the file, every sheet together.');
    t.integer('cases_imported')
      .notNullable()
      .defaultTo(0)
      .comment('Cases written (a child on several Annex A lists is one case).');
    t.integer('rows_rejected').notNullable().defaultTo(0).comment('Rows left out in skip-invalid mode.');
    t.integer('problem_count').notNullable().defaultTo(0).comment('Problems found, all of them.');
    t.jsonb('problems')
      .notNullable()
      .defaultTo('[]')
      .comment('The first 1,000 problems: sheet, line, column, value, reason.');
    t.jsonb('sheets')
      .notNullable()
      .defaultTo('[]')
      .comment('Each sheet or list read: name, list number, case type, rows; and sheets ignored.');
    t.specificType('teams_created', 'text[]')
      .notNullable()
      .defaultTo('{}')
      .comment('Teams created because the list named them first.');
  });

  await knex.schema.createTable('case_record', (t) => {
    t.comment(
      'A case in an import: one child, with only what auditing needs. No names and no dates of birth; the reference is the council child id.',
    );
    t.specificType('id', 'bigint generated always as identity').primary().comment('Surrogate key.');
    t.integer('import_id')
      .notNullable()
      .references('case_import.id')
      .onDelete('CASCADE')
      .comment('The import (population snapshot) it belongs to.');
    t.text('case_ref').notNullable().comment("The council's id for the child (Annex A: Child Unique ID).");
    t.text('case_type')
      .notNullable()
      .checkIn(CASE_TYPES, 'case_record_case_type_check')
      .comment(`Case type: ${CASE_TYPES.join(', ')}.`);
    t.integer('team_id').notNullable().references('team.id').comment('Allocated team.');
    t.integer('worker_id').references('person.id').comment('Allocated worker, if given.');
    t.integer('age_years').comment('Age in whole years at the time of the list.');
    t.text('gender').comment('Gender as the list gives it.');
    t.text('ethnicity').comment('Ethnicity code (DfE, such as WBRI).');
    t.text('disability')
      .checkIn(['yes', 'no', 'unknown'], 'case_record_disability_check')
      .comment('Whether the child has a disability: yes, no or unknown.');
    t.text('legal_status').comment('Legal status code for children in care (such as C2).');
    t.text('category_of_abuse').comment(
      'Latest category of abuse for child protection plans (neglect, physical-abuse, sexual-abuse, emotional-abuse, multiple).',
    );
    t.text('placement_type').comment('Placement type code for children in care (such as U6).');
    t.boolean('uasc').comment('Unaccompanied asylum-seeking child (now or formerly).');
    t.integer('missing_episodes').comment('Missing episodes in the last 12 months.');
    t.date('start_date').comment('When the current plan, episode or assessment started.');
    t.boolean('closed')
      .notNullable()
      .defaultTo(false)
      .comment('Closed (or plan ended) by the time of the list; excluded from sampling by default.');
    t.boolean('restricted')
      .notNullable()
      .defaultTo(false)
      .comment(
        'A restricted record (adoption, high profile, staff conflict); excluded from sampling by default.',
      );
    t.jsonb('attributes')
      .notNullable()
      .defaultTo('{}')
      .comment(
        'Other list facts used in themed filters, as short codes (primary need, eligibility, accommodation…).',
      );
    t.text('source_sheet').comment('Sheet or file the row came from.');
    t.integer('source_line').comment('Line (CSV) or row (sheet) it came from.');
    t.unique(['import_id', 'case_ref'], { indexName: 'case_record_import_ref_unique' });
    t.index(['import_id', 'team_id'], 'case_record_import_team_idx');
    t.index(['case_ref'], 'case_record_ref_idx');
  });

  await knex.schema.createTable('case_import_rejection', (t) => {
    t.comment('Rows left out of a skip-invalid import, with why, for the downloadable report.');
    t.specificType('id', 'bigint generated always as identity').primary().comment('Order of recording.');
    t.integer('import_id')
      .notNullable()
      .references('case_import.id')
      .onDelete('CASCADE')
      .comment('The import.');
    t.text('sheet').comment('Sheet or file.');
    t.integer('line').comment('Line or row.');
    t.text('case_ref').comment('The child id on the row, if readable.');
    t.text('reasons').notNullable().comment('Why it was left out, each problem as "column: reason".');
    t.index(['import_id'], 'case_import_rejection_import_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('case_import_rejection');
  await knex.schema.dropTable('case_record');
  await knex.schema.dropTable('case_import');
}
