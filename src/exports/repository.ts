import type { TeamScope } from '../auth/scope';
import { knexOf } from '../db/query';
import { applyCaseScope } from '../db/scope';
import type { Executor } from '../db/transaction';
import type { ExportAudit } from './columns';

/** Which audits an export holds: one framework's, submitted in the period, within a team scope. */
export interface ExportFilter {
  frameworkId: string;
  /** UK dates (YYYY-MM-DD), both included. */
  from: string;
  to: string;
  scope: TeamScope;
  teamId?: number;
}

export const exportsRepository = {
  /**
   * The latest submitted revision of each audit of the framework (any version) submitted in the period,
   * within the scope and team, in audit order: ids only, so that the rows can be read a page at a time and
   * the file holds exactly these. Calibration exercises are practice, not findings, and are left out.
   */
  async selection(ex: Executor, filter: ExportFilter): Promise<number[]> {
    const query = knexOf(ex)('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('framework_version as v', 'v.id', 'a.framework_version_id')
      .joinRaw(
        `join lateral (select r.id, r.submitted_at from audit_revision r
           where r.audit_id = a.id and r.status = 'submitted' order by r.revision desc limit 1) rv on true`,
      )
      .whereNull('a.calibration_id')
      .where('v.framework_id', filter.frameworkId)
      .whereRaw(
        `rv.submitted_at >= (?::timestamp at time zone 'Europe/London')
         and rv.submitted_at < ((?::date + 1)::timestamp at time zone 'Europe/London')`,
        [filter.from, filter.to],
      )
      .orderBy('a.id');
    applyCaseScope(query, filter.scope, 'c.team_id', 'c');
    if (filter.teamId !== undefined) query.where('c.team_id', filter.teamId);
    return query.pluck('rv.id');
  },

  /**
   * These revisions as export rows, in audit order: what describes each audit, its grades (agreed at a
   * completed moderation where there was one) and its answers. Section notes and safeguarding details are
   * not read.
   */
  async audits(ex: Executor, revisionIds: readonly number[]): Promise<ExportAudit[]> {
    const k = knexOf(ex);
    return k('audit_revision as r')
      .join('audit as a', 'a.id', 'r.audit_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('team as t', 't.id', 'c.team_id')
      .join('framework_version as v', 'v.id', 'a.framework_version_id')
      .leftJoin('audit_round as ro', 'ro.id', 'a.round_id')
      .leftJoin('moderation as m', function () {
        this.on('m.audit_revision_id', 'r.id').andOnVal('m.status', 'completed');
      })
      .whereIn('r.id', revisionIds)
      .orderBy('a.id')
      .select(
        'a.id as auditId',
        'c.case_ref as caseRef',
        't.name as team',
        'c.case_type as caseType',
        'ro.name as round',
        'v.framework_id as frameworkId',
        'v.version as frameworkVersion',
        k.raw(`to_char(r.submitted_at at time zone 'Europe/London', 'YYYY-MM-DD') as "submittedOn"`),
        k.raw('m.id is not null as moderated'),
        k.raw(`coalesce((select jsonb_object_agg(g.section_id, coalesce(mg.agreed_grade, g.grade))
            from audit_section_grade g
            left join moderation_grade mg on mg.moderation_id = m.id and mg.section_id = g.section_id
           where g.audit_revision_id = r.id), '{}'::jsonb) as grades`),
        k.raw(`(select g.grade from audit_section_grade g
           where g.audit_revision_id = r.id and g.section_id = 'overall') as "auditorOverallGrade"`),
        k.raw(`coalesce((select jsonb_object_agg(s.key, s.value->'answers')
            from jsonb_each(coalesce(r.response->'sections', '{}'::jsonb)) s
           where jsonb_typeof(s.value->'answers') = 'object'), '{}'::jsonb) as answers`),
      );
  },
};
