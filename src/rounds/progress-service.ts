import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { caseScopeFor } from '../auth/scope';
import type { Database } from '../db/transaction';
import { NotFoundError } from '../errors';
import { scaleById } from '../frameworks/overall-grade';
import { gradeLabel } from '../frameworks/labels';
import type { FrameworksService } from '../frameworks/service';
import { gradesWithheldFrom } from '../moderation/policy';
import type { User } from '../users/user';
import { gradeDistribution, progressBy, tally, type Progress, type ShownGrade } from './progress';
import { roundProgressRepository, type AuditFindingRow } from './progress-repository';
import { roundRepository, type AuditRow, type RoundSummary } from './repository';

/** An audit on the round page: where it has got, and its grade as the viewer may see it. */
export interface AuditProgress extends AuditRow {
  moderated: boolean;
  grade: ShownGrade;
  gradeLabel?: string;
}

export type RoundProgressService = ReturnType<typeof createRoundProgressService>;

/**
 * A round's progress as a viewer may see it: administrators every audit; team managers and heads of service
 * their teams' audits only. Grades are the agreed grade after moderation, else the auditor's; a moderator
 * never sees the grades of an audit waiting for blind moderation.
 */
export function createRoundProgressService(
  db: Database,
  activityLog: ActivityLog,
  frameworks: FrameworksService,
) {
  function shownGrade(user: User, finding: AuditFindingRow | undefined): ShownGrade {
    if (!finding?.overallGrade) return undefined;
    if (gradesWithheldFrom(user.roles, { blind: finding.blind, status: finding.moderationStatus }))
      return 'withheld';
    return { code: finding.agreedGrade ?? finding.overallGrade, moderated: finding.agreedGrade !== null };
  }

  return {
    /** Rounds with their progress in the viewer's scope; a scoped viewer sees only rounds with their audits. */
    async list(user: User): Promise<(RoundSummary & { progress: Progress & { carriedOver: number } })[]> {
      const scope = caseScopeFor(user);
      const [rounds, counts] = await Promise.all([
        roundRepository.listRounds(db.executor),
        roundProgressRepository.counts(db.executor, scope),
      ]);
      const byRound = new Map(counts.map((c) => [c.roundId, c]));
      return rounds
        .filter((r) => scope.kind === 'all' || byRound.has(r.id))
        .map((round) => {
          const c = byRound.get(round.id);
          const { roundId: _id, ...counted } = c ?? {
            roundId: round.id,
            total: 0,
            unallocated: 0,
            allocated: 0,
            inProgress: 0,
            submitted: 0,
            cancelled: 0,
            carriedOver: 0,
          };
          // The list shows what is done; moderation is on the round's own page.
          return { ...round, progress: { ...counted, moderated: 0 } };
        });
    },

    /** The round page's figures; the view of its audits is recorded. */
    async page(roundId: number, user: User, actor: Actor) {
      const round = await roundRepository.findRound(db.executor, roundId);
      if (!round) throw new NotFoundError(`There is no audit round ${roundId}.`);
      const scope = caseScopeFor(user);
      const [audits, carriedOver, findings, stored] = await Promise.all([
        roundRepository.audits(db.executor, { roundId, scope }),
        roundRepository.audits(db.executor, { carriedOverFrom: roundId, scope }),
        roundProgressRepository.findings(db.executor, roundId, scope),
        frameworks.get(round.frameworkId, round.frameworkVersion),
      ]);
      const { framework } = stored;
      const scaleId = framework.overall.scale;
      const findingOf = new Map(findings.map((f) => [f.auditId, f]));
      const rows: AuditProgress[] = audits.map((audit) => {
        const finding = findingOf.get(audit.id);
        const grade = shownGrade(user, finding);
        return {
          ...audit,
          moderated: finding?.moderationStatus === 'completed',
          grade,
          ...(grade && grade !== 'withheld'
            ? { gradeLabel: gradeLabel(framework, scaleId, grade.code) }
            : {}),
        };
      });
      await activityLog.recordView(actor, 'audit_round', roundId);
      return {
        round,
        audits: rows,
        carriedOver,
        totals: tally(rows),
        byAuditor: progressBy(rows, (a) => a.auditorName ?? 'Not allocated'),
        byTeam: progressBy(rows, (a) => a.teamName),
        grades: gradeDistribution(
          scaleById(framework, scaleId).levels,
          rows.map((r) => r.grade),
        ),
        /** Whether the viewer sees only their teams' audits. */
        scoped: scope.kind !== 'all',
      };
    },
  };
}
