import type { Knex } from 'knex';
import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';
import { londonDate } from '../dates';
import {
  answerColumns,
  answerRows,
  gradeColumns,
  gradedRows,
  latestSubmitted,
  narrowed,
  reportedOverall,
  reportingRepository,
  type AnswerCount,
  type GradeCount,
  type MonthlyCount,
  type PlanCount,
  type ReportFilter,
} from './repository';
import { splitPeriod } from './tallies';
import { tallyRepository } from './tally-repository';
import { teamIdsOf, unitsOf, type Unit } from './units';
import { mergeViews, sumBy, viewsOf, type GradeViews } from './views';

/** Where counts come from: the tallies of whole past months and the audit tables for the rest, or all raw. */
export type Read = 'tallies' | 'raw';

/** The parts of a period read from the tallies (whole past months) and from the audit tables. */
function partsOf(filter: ReportFilter, read: Read) {
  return read === 'tallies'
    ? splitPeriod(filter.from, filter.to, londonDate())
    : { months: [] as string[], raw: [{ from: filter.from, to: filter.to }] };
}

/**
 * The tallies of some months and units as `c`, their framework version as `v`: of the filter's case type
 * (or all together), or of each case type.
 */
function tallyRows(
  ex: Executor,
  table: 'report_grade_tally' | 'report_answer_tally',
  filter: ReportFilter,
  months: readonly string[],
  units: readonly Unit[],
  caseTypes: 'one' | 'each' = 'one',
): Knex.QueryBuilder {
  const query = knexOf(ex)(`${table} as c`)
    .join('framework_version as v', 'v.id', 'c.framework_version_id')
    .whereIn(
      'c.month',
      months.map((m) => `${m}-01`),
    );
  if (units.length === 0) query.whereRaw('false');
  else
    query.whereIn(
      ['c.unit', 'c.unit_id'],
      units.map((u) => [u.unit, u.id]),
    );
  if (caseTypes === 'one' || filter.caseType !== undefined)
    query.where('c.case_type', filter.caseType ?? '*');
  else query.whereNot('c.case_type', '*');
  if (filter.frameworkId !== undefined) query.where('v.framework_id', filter.frameworkId);
  return query;
}

/** A query's rows, as the type its columns make. */
const rowsOf = async <T>(query: Knex.QueryBuilder): Promise<T[]> => (await query) as T[];

const VERSION = ['v.framework_id as frameworkId', 'v.version as frameworkVersion'];

/** Counts of the filter's tallied months: their tallies made sure of first, read with what the filter covers. */
async function fromTallies<T>(
  ex: Executor,
  filter: ReportFilter,
  months: readonly string[],
  read: (units: Unit[], teamUnits: Unit[]) => Promise<T>,
): Promise<T> {
  await tallyRepository.ensure(ex, months);
  const teams = await reportingRepository.teams(ex);
  return read(
    unitsOf(filter, teams),
    teamIdsOf(filter, teams).map((id) => ({ unit: 'team', id })),
  );
}

export const countsRepository = {
  /**
   * Round audits whose round is due in the period, by team: planned (not cancelled), submitted, and
   * overdue today. A whole past month's audits not submitted are all overdue.
   */
  async planCounts(
    ex: Executor,
    filter: ReportFilter,
    today: string,
    read: Read = 'tallies',
  ): Promise<PlanCount[]> {
    const k = knexOf(ex);
    const parts = partsOf(filter, read);
    const rows: PlanCount[] = [];
    for (const part of parts.raw)
      rows.push(...(await reportingRepository.planCounts(ex, { ...filter, ...part }, today)));
    if (parts.months.length > 0) {
      await tallyRepository.ensure(ex, parts.months);
      const tallied = narrowed(
        k('report_plan_tally as c')
          .join('framework_version as v', 'v.id', 'c.framework_version_id')
          .whereIn(
            'c.month',
            parts.months.map((m) => `${m}-01`),
          ),
        filter,
        ex,
      )
        .groupBy('c.team_id')
        .select(
          'c.team_id as teamId',
          k.raw('sum(c.planned)::int as planned'),
          k.raw('sum(c.completed)::int as completed'),
          k.raw('sum(c.planned - c.completed)::int as overdue'),
        );
      rows.push(...(await rowsOf<PlanCount>(tallied)));
    }
    const byTeam = new Map<number, PlanCount>();
    for (const row of rows) {
      const sum = byTeam.get(row.teamId) ?? { teamId: row.teamId, planned: 0, completed: 0, overdue: 0 };
      byTeam.set(row.teamId, {
        teamId: row.teamId,
        planned: sum.planned + row.planned,
        completed: sum.completed + row.completed,
        overdue: sum.overdue + row.overdue,
      });
    }
    return [...byTeam.values()].sort((a, b) => a.teamId - b.teamId);
  },

  /**
   * Grade counts of the audits submitted in the period (their latest submitted revision; calibration
   * exercises are not findings and are left out), as the figures group them: a few hundred rows however
   * many audits there are.
   */
  async gradeViews(ex: Executor, filter: ReportFilter, read: Read = 'tallies'): Promise<GradeViews> {
    const k = knexOf(ex);
    const parts = partsOf(filter, read);
    const views: GradeViews[] = [];
    for (const part of parts.raw) {
      const rows = await rowsOf<GradeCount>(
        gradedRows(ex, { ...filter, ...part })
          .select(
            'l.team_id as teamId',
            'l.case_type as caseType',
            'l.framework_id as frameworkId',
            'l.version as frameworkVersion',
            ...gradeColumns(ex),
            k.raw('count(*)::int as count'),
          )
          .groupByRaw('1, 2, 3, 4, 5, 6, 7, 8, 9'),
      );
      views.push(viewsOf(rows));
    }
    if (parts.months.length > 0)
      views.push(
        await fromTallies(ex, filter, parts.months, async (units, teamUnits) => {
          const overall = <T>(unitsRead: Unit[], caseTypes: 'one' | 'each', by: string) =>
            rowsOf<T>(
              tallyRows(ex, 'report_grade_tally', filter, parts.months, unitsRead, caseTypes)
                .where('c.section_id', 'overall')
                .groupByRaw('1, 2, 3, 4')
                .select(by, ...VERSION, 'c.grade', k.raw('sum(c.count)::int as count')),
            );
          const whole = await rowsOf<GradeViews['whole'][number]>(
            tallyRows(ex, 'report_grade_tally', filter, parts.months, units)
              .groupByRaw('1, 2, 3, 4, 5, 6, 7')
              .select(
                ...VERSION,
                'c.section_id as sectionId',
                'c.grade',
                'c.auditor_grade as auditorGrade',
                'c.moderator_grade as moderatorGrade',
                'c.moderated',
                k.raw('sum(c.count)::int as count'),
              ),
          );
          return {
            whole,
            byTeam: await overall<GradeViews['byTeam'][number]>(teamUnits, 'one', 'c.unit_id as teamId'),
            byCaseType: await overall<GradeViews['byCaseType'][number]>(
              units,
              'each',
              'c.case_type as caseType',
            ),
          };
        }),
      );
    return mergeViews(views);
  },

  /**
   * How often each yes / no question was answered yes, and how often no, in the audits submitted in the
   * period. Free text is never read: it is case content.
   */
  async answerCounts(ex: Executor, filter: ReportFilter, read: Read = 'tallies'): Promise<AnswerCount[]> {
    const k = knexOf(ex);
    const parts = partsOf(filter, read);
    const rows: AnswerCount[] = [];
    for (const part of parts.raw)
      rows.push(
        ...(await rowsOf<AnswerCount>(
          answerRows(ex, { ...filter, ...part })
            .select(
              'l.framework_id as frameworkId',
              'l.version as frameworkVersion',
              ...answerColumns(ex),
              k.raw('count(*)::int as count'),
            )
            .groupByRaw('1, 2, 3, 4, 5'),
        )),
      );
    if (parts.months.length > 0)
      rows.push(
        ...(await fromTallies(ex, filter, parts.months, (units) =>
          rowsOf<AnswerCount>(
            tallyRows(ex, 'report_answer_tally', filter, parts.months, units)
              .groupByRaw('1, 2, 3, 4, 5')
              .select(
                ...VERSION,
                'c.section_id as sectionId',
                'c.question_id as questionId',
                'c.answer',
                k.raw('sum(c.count)::int as count'),
              ),
          ),
        )),
      );
    return sumBy(rows, [
      'frameworkId',
      'frameworkVersion',
      'sectionId',
      'questionId',
      'answer',
    ]) as AnswerCount[];
  },

  /**
   * Overall grades of the audits submitted in the period, by UK calendar month (YYYY-MM), framework
   * version and grade (agreed where moderated): what the trend charts are drawn from.
   */
  async monthlyOverall(ex: Executor, filter: ReportFilter, read: Read = 'tallies'): Promise<MonthlyCount[]> {
    const k = knexOf(ex);
    const parts = partsOf(filter, read);
    const rows: MonthlyCount[] = [];
    for (const part of parts.raw)
      rows.push(
        ...(await rowsOf<MonthlyCount>(
          k
            .with('latest', latestSubmitted(ex, { ...filter, ...part }))
            .from('latest as l')
            .join('audit_revision as r', 'r.id', 'l.revision_id')
            .groupByRaw('1, 2, 3, 4')
            .select(
              k.raw(`to_char(r.submitted_at at time zone 'Europe/London', 'YYYY-MM') as month`),
              'l.framework_id as frameworkId',
              'l.version as frameworkVersion',
              k.raw(`${reportedOverall('l.revision_id')} as grade`),
              k.raw('count(*)::int as count'),
            ),
        )),
      );
    if (parts.months.length > 0)
      rows.push(
        ...(await fromTallies(ex, filter, parts.months, (units) =>
          rowsOf<MonthlyCount>(
            tallyRows(ex, 'report_grade_tally', filter, parts.months, units)
              .where('c.section_id', 'overall')
              .groupByRaw('1, 2, 3, 4')
              .select(
                k.raw(`to_char(c.month, 'YYYY-MM') as month`),
                ...VERSION,
                'c.grade',
                k.raw('sum(c.count)::int as count'),
              ),
          ),
        )),
      );
    return sumBy(rows, ['month', 'frameworkId', 'frameworkVersion', 'grade']) as MonthlyCount[];
  },
};
