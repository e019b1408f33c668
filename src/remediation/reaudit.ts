import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { londonDate } from '../dates';
import type { Executor } from '../db/transaction';
import { reauditWorkingDays } from '../frameworks/reaudit';
import type { FrameworksService } from '../frameworks/service';
import type { Framework } from '../frameworks/types';
import { gradesWithheldFrom } from '../moderation/policy';
import { usersReadModel } from '../users/read-model';
import type { User } from '../users/user';
import { reauditRepository as repo, type ReauditRow } from './reaudit-repository';
import { chooseReauditor } from './reauditor';
import type { RemediationRecord } from './repository';
import type { CalendarFor } from './service';
import type { GivenGrade } from './triggers';
import { reauditNotice, type Notify } from './notices';

/** A record's re-audit with the grades before (the audit remediated) and after (the re-audit). */
export interface Reaudit extends ReauditRow {
  before: GivenGrade[];
  /** The re-audit's reported grades once it is submitted; null before, or while hidden from the user. */
  after: GivenGrade[] | null;
  /** Whether its grades are hidden from the user: a moderator, while it waits for blind moderation. */
  withheld: boolean;
}

/** Grades overall first, then in the framework's order of sections. */
function inOrder(framework: Framework, grades: GivenGrade[]): GivenGrade[] {
  const order = ['overall', ...framework.sections.map((s) => s.id)];
  return [...grades].sort((a, b) => order.indexOf(a.sectionId) - order.indexOf(b.sectionId));
}

/** What of the re-audit's own history its record's timeline shows. */
export const reauditMilestones = (auditId: number) => ({
  recordType: 'audit',
  recordIds: [String(auditId)],
  actions: ['audit.reallocate', 'audit.submit', 'audit.reopen', 'moderation.complete'] as const,
});

export type Reaudits = ReturnType<typeof createReaudits>;

/**
 * Re-audits: when a record closes, its framework may want the case audited again (`remediation.reaudit`).
 * The re-audit is a new audit of the same child, against the same framework version, due the framework's
 * working days after closing and allocated under the conflict rule; its grades stand beside the original's.
 */
export function createReaudits(
  activityLog: ActivityLog,
  frameworks: FrameworksService,
  calendarFor: CalendarFor,
  notify: Notify,
) {
  /**
   * Schedules the closed record's re-audit in the transaction that closed it, if its framework wants one
   * (once a record); its id, or undefined when none was scheduled.
   */
  async function schedule(
    tx: Executor,
    record: RemediationRecord,
    actor: Actor,
  ): Promise<number | undefined> {
    const { framework } = await frameworks.get(record.frameworkId, record.frameworkVersion);
    const days = reauditWorkingDays(framework);
    if (days === undefined || (await repo.ofRecord(tx, record.id))) return undefined;
    const remediated = await repo.remediated(tx, record.id);
    const dueOn = (await calendarFor(tx)).addWorkingDays(londonDate(), days);
    const auditorUserId = chooseReauditor(
      remediated.auditorUserId,
      await usersReadModel.withRole(tx, 'auditor'),
      remediated.staffing,
      await repo.openLoads(tx),
    );
    const auditId = await repo.insert(tx, {
      recordId: record.id,
      caseId: remediated.staffing.caseId,
      frameworkVersionId: remediated.frameworkVersionId,
      auditorUserId,
      dueOn,
    });
    await activityLog.record(tx, actor, {
      action: 'remediation.reaudit',
      recordType: 'remediation',
      recordId: record.id,
      summary: { after: { auditId, dueOn, afterWorkingDays: days, auditorUserId } },
    });
    if (auditorUserId !== null) await notify(tx, [reauditNotice(record, auditorUserId, dueOn)]);
    return auditId;
  }

  return {
    schedule,

    /** Re-audits nobody is allocated to, soonest due first: the administrators' to allocate. */
    toAllocate: (ex: Executor) => repo.unallocated(ex),

    /** The record's re-audit as the user may see it, or undefined when none was scheduled. */
    async of(ex: Executor, record: RemediationRecord, framework: Framework, user: User) {
      const row = await repo.ofRecord(ex, record.id);
      if (!row) return undefined;
      const withheld = gradesWithheldFrom(user.roles, {
        blind: row.moderationBlind,
        status: row.moderationStatus,
      });
      const reaudit: Reaudit = {
        ...row,
        before: inOrder(framework, await repo.reportedGrades(ex, record.auditId)),
        after:
          row.status === 'submitted' && !withheld
            ? inOrder(framework, await repo.reportedGrades(ex, row.auditId))
            : null,
        withheld,
      };
      return reaudit;
    },
  };
}
