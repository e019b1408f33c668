import { knexOf } from '../db/query';
import type { Knex } from 'knex';
import type { TeamScope } from '../auth/scope';
import { applyCaseScope } from '../db/scope';
import type { Executor } from '../db/transaction';
import type { AuditStatus } from '../audits/repository';

/** An audit's latest submitted revision, with the agreed overall grade if a moderator completed one. */
export interface SubmittedAuditRow {
  auditId: number;
  caseRef: string;
  teamId: number;
  teamName: string;
  roundName: string;
  auditorName: string | null;
  submittedAt: Date;
  overallGrade: string;
  agreedGrade: string | null;
  frameworkId: string;
  frameworkVersion: string;
}

/** The latest round audit or re-audit of a case (by its reference), and its latest submitted grades if any. */
export interface CaseAuditRow {
  caseRef: string;
  auditId: number;
  status: AuditStatus;
  auditorUserId: number | null;
  teamId: number;
  restricted: boolean;
  overallGrade: string | null;
  agreedGrade: string | null;
  frameworkId: string;
  frameworkVersion: string;
}

/**
 * The latest submitted revision of each audit (drafts never), and the overall grade its completed
 * moderation agreed. Calibration audits are exercises in grading, not findings about a team, so only audits
 * of rounds, and re-audits, are read.
 */
function latestSubmitted(ex: Executor, join: 'join' | 'left join'): Knex.QueryBuilder {
  return knexOf(ex)('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('framework_version as v', 'v.id', 'a.framework_version_id')
    .joinRaw(
      `${join} lateral (select r.id, r.submitted_at, r.overall_grade from audit_revision r
        where r.audit_id = a.id and r.status = 'submitted' order by r.revision desc limit 1) rv on true`,
    )
    .leftJoin('moderation as m', function () {
      this.on('m.audit_revision_id', 'rv.id').andOnVal('m.status', 'completed');
    })
    .leftJoin('moderation_grade as mg', function () {
      this.on('mg.moderation_id', 'm.id').andOnVal('mg.section_id', 'overall');
    })
    .whereNull('a.calibration_id');
}

export const auditOutcomeRepository = {
  /** Submitted audits in scope, newest first: of one team, or submitted since a time. */
  async submitted(
    ex: Executor,
    scope: TeamScope,
    filter: { teamId?: number; submittedSince?: string },
  ): Promise<SubmittedAuditRow[]> {
    const query = applyCaseScope(latestSubmitted(ex, 'join'), scope, 'c.team_id', 'c')
      .join('team as t', 't.id', 'c.team_id')
      .leftJoin('audit_round as ro', 'ro.id', 'a.round_id')
      .leftJoin('app_user as u', 'u.id', 'a.auditor_user_id')
      .orderBy([
        { column: 'rv.submitted_at', order: 'desc' },
        { column: 'a.id', order: 'desc' },
      ])
      .select(
        'a.id as auditId',
        'c.case_ref as caseRef',
        'c.team_id as teamId',
        't.name as teamName',
        knexOf(ex).raw(`coalesce(ro.name, 'Re-audit') as "roundName"`),
        'u.display_name as auditorName',
        'rv.submitted_at as submittedAt',
        'rv.overall_grade as overallGrade',
        'mg.agreed_grade as agreedGrade',
        'v.framework_id as frameworkId',
        'v.version as frameworkVersion',
      );
    if (filter.teamId !== undefined) query.where('c.team_id', filter.teamId);
    // A UK calendar date: the submission counts from midnight in the UK.
    if (filter.submittedSince !== undefined)
      query.whereRaw(`rv.submitted_at >= (?::timestamp at time zone 'Europe/London')`, [
        filter.submittedSince,
      ]);
    return (await query) as SubmittedAuditRow[];
  },

  /** For each case reference, its latest round audit or re-audit in scope (by any import of the case). */
  async latestForCases(ex: Executor, scope: TeamScope, caseRefs: readonly string[]): Promise<CaseAuditRow[]> {
    if (caseRefs.length === 0) return [];
    const query = applyCaseScope(latestSubmitted(ex, 'left join'), scope, 'c.team_id', 'c')
      .whereIn('c.case_ref', caseRefs)
      .distinctOn('c.case_ref')
      .orderBy([{ column: 'c.case_ref' }, { column: 'a.id', order: 'desc' }])
      .select(
        'c.case_ref as caseRef',
        'a.id as auditId',
        'a.status',
        'a.auditor_user_id as auditorUserId',
        'c.team_id as teamId',
        'c.restricted',
        'rv.overall_grade as overallGrade',
        'mg.agreed_grade as agreedGrade',
        'v.framework_id as frameworkId',
        'v.version as frameworkVersion',
      );
    return (await query) as CaseAuditRow[];
  },
};
