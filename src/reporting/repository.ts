import type { Knex } from 'knex';
import type { TeamScope } from '../auth/scope';
import { knexOf } from '../db/query';
import { applyTeamScope } from '../db/scope';
import type { Executor } from '../db/transaction';

/** What a report covers: submissions from `from` to `to` (UK dates, both included), within a team scope. */
export interface ReportFilter {
  from: string;
  to: string;
  scope: TeamScope;
  localityId?: number;
  serviceAreaId?: number;
  teamId?: number;
  caseType?: string;
  frameworkId?: string;
}

/** How many submitted audits gave one grade to one section (or "overall"), grouped as reports split them. */
export interface GradeCount {
  teamId: number;
  caseType: string;
  frameworkId: string;
  frameworkVersion: string;
  sectionId: string;
  /** The agreed grade where a moderation was completed, the auditor's otherwise. */
  grade: string;
  /** For the overall grade of a moderated audit: the auditor's grade before moderation. */
  auditorGrade: string | null;
  /** ...and the moderator's own (blind) grade, or the agreed one where there was none. */
  moderatorGrade: string | null;
  moderated: boolean;
  count: number;
}

/** Round audits due in the period, by team: planned, submitted, and overdue today. */
export interface PlanCount {
  teamId: number;
  planned: number;
  completed: number;
  overdue: number;
}

export interface TeamRow {
  id: number;
  name: string;
  serviceAreaId: number | null;
  serviceAreaName: string | null;
  localityId: number | null;
  localityName: string | null;
}

/** The filter's team, area, locality, case type and framework: the query's own conditions. */
export function narrowed<T extends Knex.QueryBuilder>(query: T, filter: ReportFilter, ex: Executor): T {
  applyTeamScope(query, filter.scope, 'c.team_id');
  if (filter.teamId !== undefined) query.where('c.team_id', filter.teamId);
  if (filter.serviceAreaId !== undefined || filter.localityId !== undefined) {
    const teams = knexOf(ex)('team').select('id');
    if (filter.serviceAreaId !== undefined) teams.where('service_area_id', filter.serviceAreaId);
    if (filter.localityId !== undefined) teams.where('locality_id', filter.localityId);
    query.whereIn('c.team_id', teams);
  }
  if (filter.caseType !== undefined) query.where('c.case_type', filter.caseType);
  if (filter.frameworkId !== undefined) query.where('v.framework_id', filter.frameworkId);
  return query;
}

/**
 * The latest submitted revision of each audit submitted in the period (calibration exercises are not
 * findings, so they are left out), with what reports split by.
 */
export function latestSubmitted(ex: Executor, filter: ReportFilter): Knex.QueryBuilder {
  // From the revisions submitted in the period (audit_revision_submitted_idx), those no later one replaced.
  return narrowed(
    knexOf(ex)('audit_revision as sr')
      .join('audit as a', 'a.id', 'sr.audit_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('framework_version as v', 'v.id', 'a.framework_version_id')
      .where('sr.status', 'submitted')
      .whereRaw(
        `sr.submitted_at >= (?::timestamp at time zone 'Europe/London')
         and sr.submitted_at < ((?::date + 1)::timestamp at time zone 'Europe/London')`,
        [filter.from, filter.to],
      )
      .whereRaw(
        `sr.revision = (select max(r.revision) from audit_revision r
                         where r.audit_id = sr.audit_id and r.status = 'submitted')`,
      )
      .whereNull('a.calibration_id')
      .select(
        'a.id as audit_id',
        'sr.id as revision_id',
        'c.team_id',
        'c.case_type',
        'a.framework_version_id',
        'v.framework_id',
        'v.version',
      ),
    filter,
    ex,
  );
}

/** The overall grade a revision reports: the one agreed at a completed moderation, else the auditor's. */
export const reportedOverall = (revision: string) => `(select coalesce(mg.agreed_grade, g.grade)
    from audit_section_grade g
    left join moderation m on m.audit_revision_id = g.audit_revision_id and m.status = 'completed'
    left join moderation_grade mg on mg.moderation_id = m.id and mg.section_id = 'overall'
   where g.audit_revision_id = ${revision} and g.section_id = 'overall')`;

/** Re-audits submitted in the period, by the overall grade of the audit remediated and their own. */
export interface ReauditCount {
  frameworkId: string;
  frameworkVersion: string;
  before: string | null;
  after: string | null;
  count: number;
}

/** How many audits submitted in one month got one overall grade. */
export interface MonthlyCount {
  month: string;
  frameworkId: string;
  frameworkVersion: string;
  grade: string | null;
  count: number;
}

/** A submitted audit as the board pack lists inadequate findings. */
export interface FindingRow {
  frameworkId: string;
  frameworkVersion: string;
  grade: string | null;
  caseRef: string;
  /** A restricted case: the pack names it only as one (src/auth/scope.ts). */
  restricted: boolean;
  team: string;
  submittedOn: string;
  remediationStatus: string | null;
}

/** How a round's sample was drawn. */
export interface RoundMethod {
  id: number;
  name: string;
  seed: number;
  dueDate: string;
  frameworkTitle: string;
  frameworkVersion: string;
  importId: number;
  importName: string | null;
  population: number | null;
  eligible: number | null;
  sampleSize: number | null;
  /** Cases left out, by reason (closed, restricted, in another open round, audited recently). */
  excluded: Record<string, number>;
}

/** How many submitted audits answered one yes / no question yes, or no. */
export interface AnswerCount {
  frameworkId: string;
  frameworkVersion: string;
  sectionId: string;
  questionId: string;
  answer: string;
  count: number;
}

/** Each latest revision's section grades (and overall) with moderation's outcome, as `l`, `g`, `m`, `mg`. */
export function gradedRows(ex: Executor, filter: ReportFilter): Knex.QueryBuilder {
  return knexOf(ex)
    .with('latest', latestSubmitted(ex, filter))
    .from('latest as l')
    .join('audit_section_grade as g', 'g.audit_revision_id', 'l.revision_id')
    .leftJoin('moderation as m', function () {
      this.on('m.audit_revision_id', 'l.revision_id').andOnVal('m.status', 'completed');
    })
    .leftJoin('moderation_grade as mg', function () {
      this.on('mg.moderation_id', 'm.id').andOn('mg.section_id', 'g.section_id');
    });
}

/** What a grade row counts as: its section, the reported grade, and for moderated overall grades both sides. */
export function gradeColumns(ex: Executor): (string | Knex.Raw)[] {
  const k = knexOf(ex);
  return [
    'g.section_id as sectionId',
    k.raw('coalesce(mg.agreed_grade, g.grade) as grade'),
    k.raw(`case when m.id is not null and g.section_id = 'overall' then g.grade end as "auditorGrade"`),
    k.raw(
      `case when m.id is not null and g.section_id = 'overall'
         then coalesce(mg.moderator_grade, mg.agreed_grade) end as "moderatorGrade"`,
    ),
    k.raw('m.id is not null as moderated'),
  ];
}

/**
 * Each yes or no answer of the latest revisions, as `l`, `s` (section) and `q` (question): the only
 * answers reports count. Free text is never read: it is case content.
 */
export function answerRows(ex: Executor, filter: ReportFilter): Knex.QueryBuilder {
  return knexOf(ex)
    .with('latest', latestSubmitted(ex, filter))
    .from('latest as l')
    .join('audit_revision as r', 'r.id', 'l.revision_id')
    .joinRaw(`cross join lateral jsonb_each(coalesce(r.response->'sections', '{}'::jsonb)) s`)
    .joinRaw(`cross join lateral jsonb_each(coalesce(s.value->'answers', '{}'::jsonb)) q`)
    .whereRaw(`q.value in ('"yes"'::jsonb, '"no"'::jsonb)`);
}

/** The answer counted: section, question and the answer given. */
export const answerColumns = (ex: Executor): Knex.Raw[] => {
  const k = knexOf(ex);
  return [k.raw('s.key as "sectionId"'), k.raw('q.key as "questionId"'), k.raw(`q.value #>> '{}' as answer`)];
};

export const reportingRepository = {
  /** Re-audits submitted in the period: the remediated audit's overall grade beside the re-audit's. */
  async reauditCounts(ex: Executor, filter: ReportFilter): Promise<ReauditCount[]> {
    const k = knexOf(ex);
    const rows = await k
      .with(
        'latest',
        // The few re-audits first, found by their record (audit_remediation_record_unique), then their revisions.
        latestSubmitted(ex, filter).whereRaw(
          'sr.audit_id = any (array(select id from audit where remediation_record_id is not null))',
        ),
      )
      .from('latest as l')
      .join('audit as a', 'a.id', 'l.audit_id')
      .join('remediation_record as rr', 'rr.id', 'a.remediation_record_id')
      .joinRaw(
        `cross join lateral (select r.id from audit_revision r where r.audit_id = rr.audit_id
           and r.status = 'submitted' order by r.revision desc limit 1) orv`,
      )
      .groupByRaw('1, 2, 3, 4')
      .orderByRaw('1, 2, 3, 4')
      .select(
        'l.framework_id as frameworkId',
        'l.version as frameworkVersion',
        k.raw(`${reportedOverall('orv.id')} as before`),
        k.raw(`${reportedOverall('l.revision_id')} as after`),
        k.raw('count(*)::int as count'),
      );
    return rows as ReauditCount[];
  },

  /**
   * Round audits whose round is due in the period, by team (cancelled ones are not planned any more), read
   * from the audit tables: see the counts repository for the tallied read.
   */
  async planCounts(ex: Executor, filter: ReportFilter, today: string): Promise<PlanCount[]> {
    const k = knexOf(ex);
    const query = narrowed(
      k('audit as a')
        .join('audit_round as r', 'r.id', 'a.round_id')
        .join('case_record as c', 'c.id', 'a.case_id')
        .join('framework_version as v', 'v.id', 'a.framework_version_id')
        .whereNot('a.status', 'cancelled')
        .whereBetween('r.due_date', [filter.from, filter.to])
        .groupBy('c.team_id')
        .orderBy('c.team_id')
        .select(
          'c.team_id as teamId',
          k.raw('count(*)::int as planned'),
          k.raw(`count(*) filter (where a.status = 'submitted')::int as completed`),
          k.raw(`count(*) filter (where a.status <> 'submitted' and r.due_date < ?)::int as overdue`, [
            today,
          ]),
        ),
      filter,
      ex,
    );
    return (await query) as PlanCount[];
  },

  /**
   * The audit rounds due in the period with an audit in the filter's part of the service: how each sample
   * was drawn, so that anyone can reproduce it (case list, framework, seed, population, exclusions, size).
   */
  async roundsDue(ex: Executor, filter: ReportFilter): Promise<RoundMethod[]> {
    const k = knexOf(ex);
    const inScope = narrowed(
      k('audit as a')
        .join('case_record as c', 'c.id', 'a.case_id')
        .join('framework_version as v', 'v.id', 'a.framework_version_id')
        .whereRaw('a.round_id = r.id')
        .select(k.raw('1')),
      filter,
      ex,
    );
    const rows = await k('audit_round as r')
      .join('framework_version as v', 'v.id', 'r.framework_version_id')
      .join('case_import as ci', 'ci.id', 'r.import_id')
      .whereBetween('r.due_date', [filter.from, filter.to])
      .whereExists(inScope)
      .orderBy(['r.due_date', 'r.id'])
      .select(
        'r.id',
        'r.name',
        'r.seed',
        k.raw(`to_char(r.due_date, 'YYYY-MM-DD') as "dueDate"`),
        'v.title as frameworkTitle',
        'v.version as frameworkVersion',
        'ci.id as importId',
        'ci.source_name as importName',
        k.raw(`(r.summary->>'population')::int as population`),
        k.raw(`(r.summary->>'eligible')::int as eligible`),
        k.raw(`(r.summary->>'total')::int as "sampleSize"`),
        k.raw(`coalesce(r.summary->'excluded', '{}'::jsonb) as excluded`),
      );
    return rows as RoundMethod[];
  },

  /**
   * Each audit submitted in the period with its reported overall grade, case reference and team, and its
   * remediation record's status: for the board pack's list of inadequate findings.
   */
  async findings(ex: Executor, filter: ReportFilter): Promise<FindingRow[]> {
    const k = knexOf(ex);
    const rows = await k
      .with('latest', latestSubmitted(ex, filter))
      .from('latest as l')
      .join('audit as a', 'a.id', 'l.audit_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('team as t', 't.id', 'c.team_id')
      .join('audit_revision as r', 'r.id', 'l.revision_id')
      .leftJoin('remediation_record as rr', 'rr.audit_id', 'a.id')
      .orderBy(['r.submitted_at', 'a.id'])
      .select(
        'l.framework_id as frameworkId',
        'l.version as frameworkVersion',
        k.raw(`${reportedOverall('l.revision_id')} as grade`),
        'c.case_ref as caseRef',
        'c.restricted',
        't.name as team',
        k.raw(`to_char(r.submitted_at at time zone 'Europe/London', 'YYYY-MM-DD') as "submittedOn"`),
        'rr.status as remediationStatus',
      );
    return rows as FindingRow[];
  },

  /** Every team, with its service area and locality, for naming and grouping. */
  async teams(ex: Executor): Promise<TeamRow[]> {
    return knexOf(ex)('team as t')
      .leftJoin('service_area as s', 's.id', 't.service_area_id')
      .leftJoin('locality as l', 'l.id', 't.locality_id')
      .orderBy('t.name')
      .select(
        't.id',
        't.name',
        't.service_area_id as serviceAreaId',
        's.name as serviceAreaName',
        't.locality_id as localityId',
        'l.name as localityName',
      );
  },
};
