import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { auditAccess } from '../audits/access';
import { caseScopeFor } from '../auth/scope';
import { londonDate } from '../dates';
import type { Database } from '../db/transaction';
import { gradeRank, scaleById } from '../frameworks/overall-grade';
import { gradeLabel } from '../frameworks/labels';
import { rankedLevels } from '../frameworks/scales';
import type { FrameworksService } from '../frameworks/service';
import type { User } from '../users/user';
import { auditOutcomeRepository, type CaseAuditRow, type SubmittedAuditRow } from './repository';

/** The grade an audit stands at: the one agreed in moderation where there is one, else the auditor's. */
export interface FinalGrade {
  code: string;
  label: string;
  moderated: boolean;
  /** The worst grade of its scale ("Inadequate" on Ofsted's). */
  worst: boolean;
}

export interface SubmittedAudit extends Omit<SubmittedAuditRow, 'overallGrade' | 'agreedGrade'> {
  grade: FinalGrade;
}

/** A case's audit status as the Cases list shows it. */
export interface CaseAuditStatus {
  auditId: number;
  status: CaseAuditRow['status'];
  grade: FinalGrade | null;
  /** Whether the user may open the audit: its submitted revision, or (admins) the draft too. */
  readable: boolean;
}

/** The first day of this month in the UK, as YYYY-MM-DD. */
export const monthStart = (today = londonDate()) => `${today.slice(0, 8)}01`;

export type AuditOutcomesService = ReturnType<typeof createAuditOutcomesService>;

/**
 * What submitted audits found, as managers read it: their teams' audits and grades (the agreed grade after
 * moderation), the inadequate ones this month, and each case's audit status. Scoped by the user's case
 * scope; drafts are never read.
 */
export function createAuditOutcomesService(
  db: Database,
  activityLog: ActivityLog,
  frameworks: FrameworksService,
) {
  async function finalGrade(
    row: Pick<SubmittedAuditRow, 'frameworkId' | 'frameworkVersion' | 'agreedGrade'> & {
      overallGrade: string;
    },
  ): Promise<FinalGrade> {
    const { framework } = await frameworks.get(row.frameworkId, row.frameworkVersion);
    const scaleId = framework.overall.scale;
    const code = row.agreedGrade ?? row.overallGrade;
    const worstRank = rankedLevels(scaleById(framework, scaleId)).length - 1;
    return {
      code,
      label: gradeLabel(framework, scaleId, code),
      moderated: row.agreedGrade !== null,
      worst: gradeRank(framework, scaleId, code) === worstRank,
    };
  }

  async function withGrades(rows: SubmittedAuditRow[]): Promise<SubmittedAudit[]> {
    return Promise.all(
      rows.map(async ({ overallGrade, agreedGrade, ...rest }) => ({
        ...rest,
        grade: await finalGrade({ ...rest, overallGrade, agreedGrade }),
      })),
    );
  }

  async function logged<T extends unknown[]>(list: T, actor: Actor | undefined, what: string): Promise<T> {
    if (actor && list.length > 0) await activityLog.recordView(actor, 'audit_list', what);
    return list;
  }

  return {
    /** A team's submitted audits and their grades, newest first (the team page). */
    async forTeam(user: User, teamId: number, actor: Actor): Promise<SubmittedAudit[]> {
      const rows = await auditOutcomeRepository.submitted(db.executor, caseScopeFor(user), { teamId });
      return logged(await withGrades(rows), actor, `team:${teamId}`);
    },

    /** Submitted audits of the user's teams graded inadequate overall (the worst grade) this month. */
    async inadequateThisMonth(user: User, actor: Actor): Promise<SubmittedAudit[]> {
      const rows = await auditOutcomeRepository.submitted(db.executor, caseScopeFor(user), {
        submittedSince: monthStart(),
      });
      const inadequate = (await withGrades(rows)).filter((a) => a.grade.worst);
      return logged(inadequate, actor, 'inadequate-this-month');
    },

    /** Each listed case's latest audit, with its status and grade, by case reference. */
    async statusOfCases(user: User, caseRefs: readonly string[]): Promise<Map<string, CaseAuditStatus>> {
      const rows = await auditOutcomeRepository.latestForCases(db.executor, caseScopeFor(user), caseRefs);
      const entries = await Promise.all(
        rows.map(async (row): Promise<[string, CaseAuditStatus]> => {
          const access = auditAccess(user, row);
          const grade = row.overallGrade
            ? await finalGrade({ ...row, overallGrade: row.overallGrade })
            : null;
          return [
            row.caseRef,
            {
              auditId: row.auditId,
              status: row.status,
              grade: row.status === 'submitted' ? grade : null,
              readable: access.readDraft || (access.readSubmitted && grade !== null),
            },
          ];
        }),
      );
      return new Map(entries);
    },
  };
}
