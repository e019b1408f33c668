import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { londonDate } from '../dates';
import type { Database } from '../db/transaction';
import { usersReadModel } from '../users/read-model';
import { escalationRepository, type EscalationStep, type OverdueRecord } from './escalation-repository';
import type { CalendarFor } from './service';

export interface SweepResult {
  /** Open records overdue today. */
  overdue: number;
  /** Steps this run recorded (another run, here or on another server, records none of the same). */
  toHeadsOfService: number;
  toDirectors: number;
}

/**
 * The escalation sweep: every open record that is overdue (a required response, an unfinished action past
 * its date, or no action set by the completion date) goes to the heads of service of the case's area; still
 * overdue `directorAfterDays` working days later, to the directors. Each step is recorded once, with its
 * activity-log entry in the same transaction, so running the sweep twice, or on two servers at once,
 * escalates once.
 */
export function createEscalationSweep(
  db: Database,
  activityLog: ActivityLog,
  calendarFor: CalendarFor,
  directorAfterDays: number,
) {
  return async function sweep(actor: Actor, today = londonDate()): Promise<SweepResult> {
    const overdue = await escalationRepository.overdue(db.executor, today);
    const result: SweepResult = { overdue: overdue.length, toHeadsOfService: 0, toDirectors: 0 };
    if (overdue.length === 0) return result;
    const calendar = await calendarFor(db.executor);
    const [heads, directors] = await Promise.all([
      usersReadModel.withRole(db.executor, 'head_of_service'),
      usersReadModel.withRole(db.executor, 'director'),
    ]);
    const nextStep = (record: OverdueRecord): EscalationStep | undefined => {
      if (record.headEscalatedOn === null) return 'head_of_service';
      if (record.directorEscalated) return undefined;
      return calendar.workingDaysBetween(record.headEscalatedOn, today) >= directorAfterDays
        ? 'director'
        : undefined;
    };
    for (const record of overdue) {
      const step = nextStep(record);
      if (!step) continue;
      const recipients = (
        step === 'director' ? directors : heads.filter((h) => h.serviceAreaTeamIds.includes(record.teamId))
      ).map((u) => u.id);
      const what = {
        response: record.responseOverdue,
        actions: record.overdueActions,
        nothingSet: record.nothingSet,
      };
      const recorded = await db.transaction(async (tx) => {
        const inserted = await escalationRepository.escalate(tx, {
          recordId: record.id,
          step,
          recipientUserIds: recipients,
          overdue: what,
        });
        if (inserted)
          await activityLog.record(tx, actor, {
            action: 'remediation.escalate',
            recordType: 'remediation',
            recordId: record.id,
            summary: { after: { step, recipientUserIds: recipients, overdue: what } },
          });
        return inserted;
      });
      if (recorded && step === 'director') result.toDirectors += 1;
      else if (recorded) result.toHeadsOfService += 1;
    }
    return result;
  };
}
