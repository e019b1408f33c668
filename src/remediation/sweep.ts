import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { londonDate } from '../dates';
import type { Database } from '../db/transaction';
import { usersReadModel } from '../users/read-model';
import {
  escalationRepository,
  type EscalationStep,
  type EscalationStepInput,
  type OverdueRecord,
} from './escalation-repository';
import type { CalendarFor } from './service';
import { escalatedNotices, type Notify } from './notices';
import { organisationReadModel } from '../organisation/read-model';

/** Steps recorded in one transaction (and one statement each for the steps and their log entries). */
const BATCH = 500;

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
 * escalates once. Steps are recorded in batches rather than a transaction each, so that a backlog of
 * thousands of overdue records (a first run) is escalated in a fraction of a second, not in seconds.
 */
export function createEscalationSweep(
  db: Database,
  activityLog: ActivityLog,
  calendarFor: CalendarFor,
  notify: Notify,
  directorAfterDays: number,
) {
  return async function sweep(actor: Actor, today = londonDate()): Promise<SweepResult> {
    const overdue = await escalationRepository.overdue(db.executor, today);
    const result: SweepResult = { overdue: overdue.length, toHeadsOfService: 0, toDirectors: 0 };
    if (overdue.length === 0) return result;
    const calendar = await calendarFor(db.executor);
    const [heads, directors, teams] = await Promise.all([
      usersReadModel.withRole(db.executor, 'head_of_service'),
      usersReadModel.withRole(db.executor, 'director'),
      organisationReadModel.allTeams(db.executor),
    ]);
    const teamNames = new Map(teams.map((t) => [t.id, t.name]));
    const teamOf = new Map(overdue.map((r) => [r.id, r.teamId]));
    const teamNameOf = (recordId: number) => teamNames.get(teamOf.get(recordId) ?? 0) ?? 'a team';
    const nextStep = (record: OverdueRecord): EscalationStep | undefined => {
      if (record.headEscalatedOn === null) return 'head_of_service';
      if (record.directorEscalated) return undefined;
      return calendar.workingDaysBetween(record.headEscalatedOn, today) >= directorAfterDays
        ? 'director'
        : undefined;
    };
    const steps = overdue.flatMap((record): EscalationStepInput[] => {
      const step = nextStep(record);
      if (!step) return [];
      const recipients =
        step === 'director' ? directors : heads.filter((h) => h.serviceAreaTeamIds.includes(record.teamId));
      return [
        {
          recordId: record.id,
          step,
          recipientUserIds: recipients.map((u) => u.id),
          overdue: {
            response: record.responseOverdue,
            actions: record.overdueActions,
            nothingSet: record.nothingSet,
          },
        },
      ];
    });
    // In batches, each step with its activity-log entry in the batch's transaction, in record order: two
    // runs at once meet each other's rows in the same order, so one waits for the other's batch to commit
    // and skips what it recorded; they never deadlock.
    for (let i = 0; i < steps.length; i += BATCH) {
      const recorded = await db.transaction(async (tx) => {
        const inserted = await escalationRepository.escalateAll(tx, steps.slice(i, i + BATCH));
        await activityLog.recordAll(
          tx,
          actor,
          inserted.map((s) => ({
            action: 'remediation.escalate' as const,
            recordType: 'remediation',
            recordId: s.recordId,
            summary: { after: { step: s.step, recipientUserIds: s.recipientUserIds, overdue: s.overdue } },
          })),
        );
        await notify(tx, escalatedNotices(inserted, teamNameOf));
        return inserted;
      });
      for (const { step } of recorded)
        if (step === 'director') result.toDirectors += 1;
        else result.toHeadsOfService += 1;
    }
    return result;
  };
}
