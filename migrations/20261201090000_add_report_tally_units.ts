import type { Knex } from 'knex';

/**
 * Report tallies counted for every part of the service a report can cover, not only by team. Counted by
 * team and case type alone, a year of one locality at a million audits is still some 400,000 tally rows
 * to add up (the locality's 40 teams, four case types, every section's grades and every question's
 * answers), about a second. So each month's tallies are now also added up, once, for each locality, each
 * service area and the whole service (a unit), and for all case types together (case type "*"); a report
 * reads the fewest units that make up exactly its teams: a locality's year is a few thousand rows. Only
 * the yes and no answers are kept, the only answers reports read.
 *
 * Tallies of localities and service areas count teams where they are when the month is counted, so a team
 * moving locality or service area makes every month stale. The tallies are counted again when next read.
 *
 * The audits planned are tallied too, by the month their round is due (reading them meant joining every
 * audit of the period to its round and case: 0.4 s for the locality's year), by team, case type and
 * framework version: how many were planned (not cancelled) and how many submitted. A whole past month's
 * audits not submitted are all overdue. Triggers mark the months due when an audit is added, removed,
 * submitted, reopened, cancelled or moved to another round, case or framework version, when a round's due
 * date moves or the round is removed, and when a case changes team or case type.
 */
const DUE_MONTH = `date_trunc('month', r.due_date)::date`;

/** The due months touched by a statement on these tables, from its transition tables. */
const PLAN_TRIGGERS: {
  table: string;
  event: 'insert' | 'update' | 'delete';
  filter?: string;
  months: string;
}[] = [
  {
    table: 'audit',
    event: 'insert',
    months: `select ${DUE_MONTH} from new_rows x join audit_round r on r.id = x.round_id`,
  },
  {
    table: 'audit',
    event: 'delete',
    months: `select ${DUE_MONTH} from old_rows x join audit_round r on r.id = x.round_id`,
  },
  {
    table: 'audit',
    event: 'update',
    filter: `exists (select 1 from old_rows o join new_rows n on n.id = o.id
              where (o.status, o.round_id, o.case_id, o.framework_version_id)
                    is distinct from (n.status, n.round_id, n.case_id, n.framework_version_id))`,
    months: `select ${DUE_MONTH} from (select round_id from old_rows union select round_id from new_rows) x
             join audit_round r on r.id = x.round_id`,
  },
  {
    table: 'audit_round',
    event: 'update',
    filter: `exists (select 1 from old_rows o join new_rows n on n.id = o.id where o.due_date <> n.due_date)`,
    months: `select ${DUE_MONTH} from (select * from old_rows union all select * from new_rows) r`,
  },
  {
    table: 'audit_round',
    event: 'delete',
    months: `select ${DUE_MONTH} from old_rows r`,
  },
  {
    table: 'case_record',
    event: 'update',
    filter: `exists (select 1 from old_rows o join new_rows n on n.id = o.id
              where (o.team_id, o.case_type) is distinct from (n.team_id, n.case_type))`,
    months: `select ${DUE_MONTH} from (select distinct id from new_rows) x join audit a on a.case_id = x.id
             join audit_round r on r.id = a.round_id`,
  },
];

const planTrigger = (t: { table: string; event: string }) => `report_month_plan_${t.table}_${t.event}`;
const UNITS = ['team', 'locality', 'service-area', 'service'];

/** The two tables of tallies, by team (the first form) or by unit (this one). */
async function createTallies(knex: Knex, byUnit: boolean): Promise<void> {
  const split = (t: Knex.CreateTableBuilder) => {
    t.date('month').notNullable().references('report_month.month').comment('The month.');
    if (byUnit) {
      t.text('unit')
        .notNullable()
        .checkIn(UNITS, 'report_tally_unit')
        .comment('The part of the service counted: a team, a locality, a service area or the whole service.');
      t.integer('unit_id').notNullable().comment('The team, locality or service area; 0 for the service.');
      t.text('case_type').notNullable().comment('The case type, or "*" for all case types together.');
    } else {
      t.integer('team_id').notNullable().comment('The case’s team.');
      t.text('case_type').notNullable().comment('The case type.');
    }
    t.integer('framework_version_id').notNullable().comment('The framework version.');
    t.text('section_id').notNullable().comment('Section id in the framework, or "overall".');
  };
  // By unit, the tallies are read by unit, case type, section and month, and counted again by month.
  const indexes = (t: Knex.CreateTableBuilder, table: string, read: string[]) => {
    if (!byUnit) return t.index(['month', 'team_id'], `${table}_month_idx`);
    t.index(['unit', 'unit_id', 'case_type', ...read, 'month'], `${table}_unit_idx`);
    t.index(['month'], `${table}_month_idx`);
  };
  await knex.schema.createTable('report_grade_tally', (t) => {
    t.comment(
      'How many audits submitted in a whole month (their latest submitted revision, calibration left out) gave one grade to one section or overall, for one part of the service and case type.',
    );
    split(t);
    t.text('grade').comment('The agreed grade where a moderation was completed, else the auditor’s.');
    t.text('auditor_grade').comment('Overall, when moderated: the auditor’s grade.');
    t.text('moderator_grade').comment(
      'Overall, when moderated: the moderator’s own grade, else the agreed one.',
    );
    t.boolean('moderated').notNullable().comment('Whether a moderation was completed.');
    t.integer('count').notNullable().comment('How many audits.');
    indexes(t, 'report_grade_tally', ['section_id']);
  });
  await knex.schema.createTable('report_answer_tally', (t) => {
    t.comment(
      byUnit
        ? 'How many audits submitted in a whole month answered one yes / no question yes, and how many no, for one part of the service and case type.'
        : 'How many audits submitted in a whole month gave one single answer (yes, no, a choice: never free text) to one question.',
    );
    split(t);
    t.text('question_id').notNullable().comment('Question id in the framework.');
    t.text('answer').notNullable().comment('The answer.');
    t.integer('count').notNullable().comment('How many audits.');
    indexes(t, 'report_answer_tally', []);
  });
}

async function recount(knex: Knex, byUnit: boolean): Promise<void> {
  await knex.schema.dropTable('report_answer_tally');
  await knex.schema.dropTable('report_grade_tally');
  await knex('report_month').update({ computed_changes: null, computed_at: null });
  await createTallies(knex, byUnit);
}

export async function up(knex: Knex): Promise<void> {
  await recount(knex, true);
  await knex.schema.createTable('report_plan_tally', (t) => {
    t.comment(
      'How many audits of the rounds due in a whole month were planned (not cancelled) and how many submitted, by team, case type and framework version.',
    );
    t.date('month').notNullable().references('report_month.month').comment('The month the rounds were due.');
    t.integer('team_id').notNullable().comment('The case’s team.');
    t.text('case_type').notNullable().comment('The case type.');
    t.integer('framework_version_id').notNullable().comment('The framework version.');
    t.integer('planned').notNullable().comment('Audits planned (not cancelled).');
    t.integer('completed').notNullable().comment('Of those, audits submitted.');
    t.index(['month', 'team_id'], 'report_plan_tally_month_idx');
  });
  for (const trigger of PLAN_TRIGGERS) {
    const transitions =
      trigger.event === 'insert'
        ? 'new table as new_rows'
        : trigger.event === 'delete'
          ? 'old table as old_rows'
          : 'old table as old_rows new table as new_rows';
    await knex.raw(`
      create function ${planTrigger(trigger)}() returns trigger language plpgsql as $$
      begin
        ${trigger.filter ? `if not ${trigger.filter} then return null; end if;` : ''}
        perform report_month_mark(array(${trigger.months}));
        return null;
      end $$`);
    await knex.raw(`create trigger ${planTrigger(trigger)} after ${trigger.event} on ${trigger.table}
                    referencing ${transitions} for each statement execute function ${planTrigger(trigger)}()`);
  }
  await knex.raw(`
    create function report_month_team_update() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from old_rows o join new_rows n on n.id = o.id
                  where (o.service_area_id, o.locality_id) is distinct from (n.service_area_id, n.locality_id))
      then
        perform report_month_mark(array(select month from report_month));
      end if;
      return null;
    end $$`);
  await knex.raw(`create trigger report_month_team_update after update on team
                  referencing old table as old_rows new table as new_rows
                  for each statement execute function report_month_team_update()`);
}

export async function down(knex: Knex): Promise<void> {
  for (const trigger of PLAN_TRIGGERS) {
    await knex.raw(`drop trigger ${planTrigger(trigger)} on ${trigger.table}`);
    await knex.raw(`drop function ${planTrigger(trigger)}()`);
  }
  await knex.schema.dropTable('report_plan_tally');
  await knex.raw('drop trigger report_month_team_update on team');
  await knex.raw('drop function report_month_team_update()');
  await recount(knex, false);
}
