import type { Knex } from 'knex';
import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';
import { answerColumns, answerRows, gradeColumns, gradedRows, type ReportFilter } from './repository';

/** The advisory lock class of report months (the month is the second key): one computation at a time. */
const LOCK_CLASS = 7_411_001;

/** A month's number for its advisory lock: months since year 0. */
const lockKey = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/** The whole service, all of a month (YYYY-MM), as a report filter: what the tallies count. */
function wholeMonth(month: string): ReportFilter {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
  return { from: `${month}-01`, to: last, scope: { kind: 'all' } };
}

/** What each tally table counts beyond its month, unit and case type. */
const COUNTED: Record<string, string> = {
  report_grade_tally: 'framework_version_id, section_id, grade, auditor_grade, moderator_grade, moderated',
  report_answer_tally: 'framework_version_id, section_id, question_id, answer',
};

/**
 * The units tallies are added up for from the teams' own: each team's case types together, and each
 * locality, service area and the whole service, by case type and all together.
 */
const ROLLUPS: { unit: string; id: string }[] = [
  { unit: 'locality', id: 't.locality_id' },
  { unit: 'service-area', id: 't.service_area_id' },
  { unit: 'service', id: '0' },
];

/** Adds a month's team tallies up for every other unit (teams not in a locality or area are in none). */
async function addUp(tx: Knex.Transaction, day: string): Promise<void> {
  for (const [table, columns] of Object.entries(COUNTED)) {
    const levels = [
      ...ROLLUPS.flatMap((r) => [
        { ...r, caseType: 'c.case_type' },
        { ...r, caseType: `'*'` },
      ]),
      { unit: 'team', id: 'c.unit_id', caseType: `'*'` },
    ];
    for (const level of levels)
      await tx.raw(
        `insert into ${table} (month, unit, unit_id, case_type, ${columns}, count)
         select c.month, ?, ${level.id}, ${level.caseType}, ${prefixed(columns)}, sum(c.count)
           from ${table} c join team t on t.id = c.unit_id
          where c.month = ?::date and c.unit = 'team' and c.case_type <> '*' and ${level.id} is not null
          group by 1, 2, 3, 4, ${columns
            .split(', ')
            .map((_, i) => i + 5)
            .join(', ')}`,
        [level.unit, day],
      );
  }
}

const prefixed = (columns: string) =>
  columns
    .split(', ')
    .map((c) => `c.${c}`)
    .join(', ');

/**
 * Counts one month's tallies again from the audit tables, unless another request has just done it (the
 * advisory lock makes it wait for that one first). The changes counted are read before the audits, so a
 * change committed meanwhile leaves the month stale. Submitting never waits for this: the month's row is
 * only written at the end, just before the commit.
 */
async function compute(ex: Executor, month: string): Promise<void> {
  const day = `${month}-01`;
  await knexOf(ex).raw('insert into report_month (month) values (?) on conflict do nothing', [day]);
  await knexOf(ex).transaction(async (tx) => {
    const tex = tx as unknown as Executor;
    await tx.raw('select pg_advisory_xact_lock(?, ?)', [LOCK_CLASS, lockKey(month)]);
    // A month is some 40,000 audits: their half a million grades and 2.5 million answers are grouped in
    // memory by hash (sorting them on text took five times as long), without JIT for the one query.
    await tx.raw(`set local work_mem = '64MB'`);
    await tx.raw('set local enable_sort = off');
    await tx.raw('set local jit = off');
    const row = await tx('report_month')
      .where('month', day)
      .first<{ changes: string; stale: boolean } | undefined>('changes', 'stale');
    if (!row?.stale) return;
    await tx('report_grade_tally').where('month', day).delete();
    await tx('report_answer_tally').where('month', day).delete();
    await tx('report_plan_tally').where('month', day).delete();
    const filter = wholeMonth(month);
    const leading = [
      tx.raw(`?::date as month, 'team' as unit`, [day]),
      'l.team_id',
      'l.case_type',
      'l.framework_version_id',
    ];
    await tx.raw(
      `insert into report_grade_tally (month, unit, unit_id, case_type, framework_version_id, section_id, grade,
                                       auditor_grade, moderator_grade, moderated, count) ?`,
      [
        gradedRows(tex, filter)
          .groupByRaw('1, 2, 3, 4, 5, 6, 7, 8, 9, 10')
          .select(...leading, ...gradeColumns(tex), tx.raw('count(*)::int')),
      ],
    );
    await tx.raw(
      `insert into report_answer_tally (month, unit, unit_id, case_type, framework_version_id, section_id,
                                        question_id, answer, count) ?`,
      [
        answerRows(tex, filter)
          .groupByRaw('1, 2, 3, 4, 5, 6, 7, 8')
          .select(...leading, ...answerColumns(tex), tx.raw('count(*)::int')),
      ],
    );
    await addUp(tx, day);
    await tx.raw(
      `insert into report_plan_tally (month, team_id, case_type, framework_version_id, planned, completed)
       select ?::date, c.team_id, c.case_type, a.framework_version_id, count(*),
              count(*) filter (where a.status = 'submitted')
         from audit_round r join audit a on a.round_id = r.id join case_record c on c.id = a.case_id
        where r.due_date between ?::date and ?::date and a.status <> 'cancelled'
        group by 2, 3, 4`,
      [day, filter.from, filter.to],
    );
    await tx('report_month')
      .where('month', day)
      .update({ computed_changes: row.changes, computed_at: tx.fn.now() });
  });
}

export const tallyRepository = {
  /** Makes sure the tallies of these whole past months (YYYY-MM) are up to date, computing any that are not. */
  async ensure(ex: Executor, months: readonly string[]): Promise<void> {
    const current: { month: string }[] = await knexOf(ex)('report_month')
      .whereIn(
        'month',
        months.map((m) => `${m}-01`),
      )
      .where('stale', false)
      .select(knexOf(ex).raw(`to_char(month, 'YYYY-MM') as month`));
    const ready = new Set(current.map((r) => r.month));
    const stale = months.filter((month) => !ready.has(month));
    for (const month of stale) await compute(ex, month);
    // Reports read the tallies by unit: after counting, the planner must know how many rows each has.
    if (stale.length > 0)
      for (const table of ['report_grade_tally', 'report_answer_tally', 'report_plan_tally'])
        await knexOf(ex).raw(`analyze ${table}`);
  },
};
