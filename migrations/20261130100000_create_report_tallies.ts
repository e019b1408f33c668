import type { Knex } from 'knex';

/**
 * Report tallies. A report reads every submitted audit of its period: at a million audits, a year of one
 * locality is some 125,000 audits, 1.3 million section grades and 7 million answers in their responses,
 * and no index makes aggregating those fast (the reports read them all). So whole past months are counted
 * once, for the whole service, in two tables of tallies that every scope reuses (its teams, case types
 * and frameworks are columns of the tallies): grades (with moderation's outcome) and single answers. A
 * report adds up the tallies of the whole months it covers and reads the rest of its period (the current
 * month, and partial months at its edges) from the audit tables as before; the figures are the same.
 *
 * A month's tallies are computed when a report first needs them, and again after anything they count has
 * changed: triggers count the changes to each month (report_month.changes) when a revision is submitted
 * (or its submission time moved, which also moves the months of the audit's earlier revisions, which are
 * no longer its latest), when section grades, a moderation or its grades change, and when a case moves
 * team or case type or an audit its case, framework version or calibration. A month is stale while the
 * changes counted differ from those its tallies were computed at; counting rather than flagging keeps a
 * change made while the month is being computed from being lost. The triggers are per statement, so bulk
 * loads mark each month once, and they never wait for a computation.
 */
const MONTH_OF = `date_trunc('month', submitted_at at time zone 'Europe/London')::date`;
const REVISION_MONTH = `date_trunc('month', r.submitted_at at time zone 'Europe/London')::date`;

/** The submitted revisions' months touched by the rows of a transition table, through a join to audit_revision. */
const TRIGGERS: { table: string; name: string; months: (rows: string) => string }[] = [
  {
    table: 'audit_revision',
    name: 'report_month_revision',
    // The revision's own month, and for a later revision the months of the audit's earlier ones.
    months: (rows) => `select ${MONTH_OF} from ${rows} where status = 'submitted'
      union select ${REVISION_MONTH}
        from ${rows} x join audit_revision r on r.audit_id = x.audit_id and r.revision < x.revision
       where x.status = 'submitted' and x.revision > 1 and r.status = 'submitted'`,
  },
  {
    table: 'audit_section_grade',
    name: 'report_month_section_grade',
    months: (rows) => `select ${REVISION_MONTH}
      from (select distinct audit_revision_id from ${rows}) x
      join audit_revision r on r.id = x.audit_revision_id where r.status = 'submitted'`,
  },
  {
    table: 'moderation',
    name: 'report_month_moderation',
    months: (rows) => `select ${REVISION_MONTH}
      from (select distinct audit_revision_id from ${rows}) x
      join audit_revision r on r.id = x.audit_revision_id where r.status = 'submitted'`,
  },
  {
    table: 'moderation_grade',
    name: 'report_month_moderation_grade',
    months: (rows) => `select ${REVISION_MONTH}
      from (select distinct moderation_id from ${rows}) x join moderation m on m.id = x.moderation_id
      join audit_revision r on r.id = m.audit_revision_id where r.status = 'submitted'`,
  },
  {
    table: 'audit',
    name: 'report_month_audit',
    months: (rows) => `select ${REVISION_MONTH}
      from (select distinct id from ${rows}) x join audit_revision r on r.audit_id = x.id
      where r.status = 'submitted'`,
  },
  {
    table: 'case_record',
    name: 'report_month_case',
    months: (rows) => `select ${REVISION_MONTH}
      from (select distinct id from ${rows}) x join audit a on a.case_id = x.id
      join audit_revision r on r.audit_id = a.id where r.status = 'submitted'`,
  },
];

/** Which statements mark months, by table: those that can change what the tallies count. */
const EVENTS: Record<string, ('insert' | 'update' | 'delete')[]> = {
  audit_revision: ['insert', 'update'],
  audit_section_grade: ['insert', 'update', 'delete'],
  moderation: ['insert', 'update', 'delete'],
  moderation_grade: ['insert', 'update', 'delete'],
  audit: ['update'],
  case_record: ['update'],
};

/** Updates of these columns only change nothing the tallies count (statement triggers see every update). */
const UPDATE_FILTER: Record<string, string> = {
  audit: `exists (select 1 from old_rows o join new_rows n on n.id = o.id
                   where (o.case_id, o.framework_version_id, o.calibration_id)
                         is distinct from (n.case_id, n.framework_version_id, n.calibration_id))`,
  case_record: `exists (select 1 from old_rows o join new_rows n on n.id = o.id
                         where (o.team_id, o.case_type) is distinct from (n.team_id, n.case_type))`,
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_month', (t) => {
    t.comment(
      'A UK calendar month of submissions, and whether its report tallies are up to date: stale while the changes counted differ from those the tallies were computed at.',
    );
    t.date('month').primary().comment('The first day of the month.');
    t.bigInteger('changes')
      .notNullable()
      .defaultTo(0)
      .comment('Changes to what the month’s tallies count, counted by triggers.');
    t.bigInteger('computed_changes').comment('The changes counted when the tallies were last computed.');
    t.timestamp('computed_at', { useTz: true }).comment('When the tallies were last computed.');
  });
  await knex.raw(`alter table report_month add column stale boolean
                  generated always as (computed_changes is distinct from changes) stored`);
  await knex.raw(`comment on column report_month.stale is 'The tallies are missing or out of date.'`);

  await knex.schema.createTable('report_grade_tally', (t) => {
    t.comment(
      'How many audits submitted in a whole month (their latest submitted revision, calibration left out) gave one grade to one section or overall, split as reports split them.',
    );
    t.date('month').notNullable().references('report_month.month').comment('The month.');
    t.integer('team_id').notNullable().comment('The case’s team.');
    t.text('case_type').notNullable().comment('The case type.');
    t.integer('framework_version_id').notNullable().comment('The framework version.');
    t.text('section_id').notNullable().comment('Section id in the framework, or "overall".');
    t.text('grade').comment('The agreed grade where a moderation was completed, else the auditor’s.');
    t.text('auditor_grade').comment('Overall, when moderated: the auditor’s grade.');
    t.text('moderator_grade').comment(
      'Overall, when moderated: the moderator’s own grade, else the agreed one.',
    );
    t.boolean('moderated').notNullable().comment('Whether a moderation was completed.');
    t.integer('count').notNullable().comment('How many audits.');
    t.index(['month', 'team_id'], 'report_grade_tally_month_idx');
  });

  await knex.schema.createTable('report_answer_tally', (t) => {
    t.comment(
      'How many audits submitted in a whole month gave one single answer (yes, no, a choice: never free text) to one question.',
    );
    t.date('month').notNullable().references('report_month.month').comment('The month.');
    t.integer('team_id').notNullable().comment('The case’s team.');
    t.text('case_type').notNullable().comment('The case type.');
    t.integer('framework_version_id').notNullable().comment('The framework version.');
    t.text('section_id').notNullable().comment('Section id in the framework.');
    t.text('question_id').notNullable().comment('Question id in the framework.');
    t.text('answer').notNullable().comment('The answer.');
    t.integer('count').notNullable().comment('How many audits.');
    t.index(['month', 'team_id'], 'report_answer_tally_month_idx');
  });

  // The rest of a period is read raw: its submissions by time, and the rounds due in it.
  await knex.raw(`create index audit_revision_submitted_idx on audit_revision (submitted_at, audit_id)
                  where status = 'submitted'`);
  await knex.raw(`comment on index audit_revision_submitted_idx is
                  'Submissions by time, for the parts of a report period read from the audit tables.'`);
  await knex.raw(`create index audit_round_due_idx on audit_round (due_date)`);

  // Months are marked in order, so two statements marking the same months never deadlock.
  await knex.raw(`
    create function report_month_mark(months date[]) returns void language sql as $$
      insert into report_month (month, changes)
      select m, 1 from unnest(months) m where m is not null group by m order by m
      on conflict (month) do update set changes = report_month.changes + 1
    $$`);
  for (const { table, name, months } of TRIGGERS)
    for (const event of EVENTS[table] ?? []) {
      const transitions =
        event === 'insert'
          ? 'new table as new_rows'
          : event === 'delete'
            ? 'old table as old_rows'
            : 'old table as old_rows new table as new_rows';
      const rows =
        event === 'insert' ? ['new_rows'] : event === 'delete' ? ['old_rows'] : ['old_rows', 'new_rows'];
      const filter =
        event === 'update' && UPDATE_FILTER[table]
          ? `if not ${UPDATE_FILTER[table]} then return null; end if;`
          : '';
      await knex.raw(`
        create function ${name}_${event}() returns trigger language plpgsql as $$
        begin
          ${filter}
          perform report_month_mark(array(${rows.map(months).join(' union ')}));
          return null;
        end $$`);
      await knex.raw(`create trigger ${name}_${event} after ${event} on ${table}
                      referencing ${transitions} for each statement execute function ${name}_${event}()`);
    }
}

export async function down(knex: Knex): Promise<void> {
  for (const { table, name } of TRIGGERS)
    for (const event of EVENTS[table] ?? []) {
      await knex.raw(`drop trigger ${name}_${event} on ${table}`);
      await knex.raw(`drop function ${name}_${event}()`);
    }
  await knex.raw('drop function report_month_mark(date[])');
  await knex.raw('drop index audit_round_due_idx');
  await knex.raw('drop index audit_revision_submitted_idx');
  await knex.schema.dropTable('report_answer_tally');
  await knex.schema.dropTable('report_grade_tally');
  await knex.schema.dropTable('report_month');
}
