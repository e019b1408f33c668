import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { londonDate } from '../dates';
import type { Database, Executor } from '../db/transaction';
import { caseScopeFor, scopeFor, scopeIncludes } from '../auth/scope';
import { NotFoundError } from '../errors';
import type { FrameworksService } from '../frameworks/service';
import type { Framework } from '../frameworks/types';
import type { User } from '../users/user';
import { mayRead, mayVerify, owns } from './access';
import { createActionsService } from './actions-service';
import { createReaudits, reauditMilestones } from './reaudit';
import { remediationRepository as repo, type RecordFilter, type RemediationRecord } from './repository';
import { obligationOf, type Finding, type GivenGrade } from './triggers';
import { escalationRepository } from './escalation-repository';
import { createEscalationSweep } from './sweep';
import { organisationReadModel } from '../organisation/read-model';
import { openedNotice, type Notify } from './notices';

/** Working-day arithmetic with the council's closure days, read in the caller's transaction. */
export interface Calendar {
  addWorkingDays(start: string, days: number): string;
  /** Working days after `from` up to and including `to`. */
  workingDaysBetween(from: string, to: string): number;
}
export type CalendarFor = (ex: Executor) => Promise<Calendar>;

/** What changed the grades a record answers to. */
export type Cause = 'submission' | 'moderation';

/** What of the audit's own history a record's timeline shows. */
const AUDIT_MILESTONES = [
  'audit.submit',
  'audit.reopen',
  'audit.safeguarding_concern',
  'moderation.complete',
] as const;

const WITHDRAWN: Record<Cause, string> = {
  submission: 'The grades of the corrected audit no longer call for remediation.',
  moderation: 'The grades agreed at moderation no longer call for remediation.',
};

export type RemediationService = ReturnType<typeof createRemediationService>;

/**
 * Remediation records: what an audit found that its case's team must act on. Opened, changed or withdrawn
 * by the audit's grades (at submission, then as agreed at moderation) inside that change's transaction;
 * answered by the team's managers with a response and actions; closed when the auditor (or a moderator)
 * has verified every action.
 */
export function createRemediationService(
  db: Database,
  activityLog: ActivityLog,
  frameworks: FrameworksService,
  calendarFor: CalendarFor,
  /** Writes notifications in the caller's transaction; they are sent after it commits. */
  notify: Notify,
  /** Working days a record stays overdue with the head of service before it goes to the director. */
  directorAfterDays = 10,
) {
  async function visible(ex: Executor, id: number, user: User, lock = false): Promise<RemediationRecord> {
    const record = await repo.find(ex, id, lock);
    if (!record || !mayRead(user, record)) throw new NotFoundError(`There is no remediation record ${id}.`);
    return record;
  }

  async function open(
    tx: Executor,
    input: { auditId: number; framework: Framework; grades: readonly GivenGrade[]; raised: Finding[] },
    existing: RemediationRecord | undefined,
    actor: Actor,
  ) {
    const obligation = obligationOf(input.framework, input.grades, input.raised);
    if (!obligation) return { outcome: 'none' as const };
    const { teamId, caseRef } = await repo.caseOfAudit(tx, input.auditId);
    const today = londonDate();
    const calendar = await calendarFor(tx);
    const inadequate = obligation.findings.some((f) => f.sectionId === 'overall' && f.worst);
    const fields = {
      findings: obligation.findings,
      responseRequired: obligation.responseRequired,
      responseDue: calendar.addWorkingDays(today, obligation.responseWorkingDays),
      completionDue: calendar.addWorkingDays(today, obligation.completionWorkingDays),
      repeatInadequate: inadequate && (await repo.earlierInadequate(tx, caseRef, input.auditId, today)),
    };
    let recordId: number;
    if (existing) {
      recordId = existing.id;
      const { repeatInadequate: _unchanged, ...changes } = fields;
      await repo.update(tx, existing.id, existing.version, {
        ...changes,
        status: 'open',
        withdrawnReason: null,
      });
    } else {
      recordId = await repo.insert(tx, { auditId: input.auditId, teamId, ...fields });
    }
    await activityLog.record(tx, actor, {
      action: 'remediation.open',
      recordType: 'remediation',
      recordId,
      summary: {
        after: { auditId: input.auditId, findings: fields.findings, responseDue: fields.responseDue },
      },
    });
    const opened = await repo.find(tx, recordId);
    if (opened) await notify(tx, [await openedNotice(tx, opened, input.framework)]);
    return { outcome: 'opened' as const, recordId };
  }

  /**
   * Brings an audit's record in line with its grades, in the transaction that changed them (submission,
   * or the outcome agreed at moderation): opened when they now meet a trigger; withdrawn when they no
   * longer do and nobody has acted on it yet; kept open, marked, when somebody has.
   */
  async function reconsider(
    tx: Executor,
    input: {
      auditId: number;
      framework: Framework;
      grades: readonly GivenGrade[];
      cause: Cause;
      /** The actions the submitted answers raise; left out (moderation), those the record already has. */
      raised?: Finding[];
    },
    actor: Actor,
  ) {
    const existing = await repo.findByAudit(tx, input.auditId, true);
    const raised = input.raised ?? existing?.findings.filter((f) => f.on === 'answer') ?? [];
    if (!existing || existing.status === 'withdrawn') return open(tx, { ...input, raised }, existing, actor);
    const obligation = obligationOf(input.framework, input.grades, raised);
    const touched = existing.response !== null || (await repo.actions(tx, existing.id)).length > 0;
    if (!obligation && !touched) {
      await repo.update(tx, existing.id, existing.version, {
        status: 'withdrawn',
        withdrawnReason: WITHDRAWN[input.cause],
      });
      await activityLog.record(tx, actor, {
        action: 'remediation.withdraw',
        recordType: 'remediation',
        recordId: existing.id,
        summary: { after: { cause: input.cause } },
      });
      return { outcome: 'withdrawn' as const, recordId: existing.id };
    }
    const findings = obligation?.findings ?? existing.findings;
    const gradeChangedAtModeration = obligation === undefined;
    if (
      JSON.stringify(findings) === JSON.stringify(existing.findings) &&
      gradeChangedAtModeration === existing.gradeChangedAtModeration
    )
      return { outcome: 'kept' as const, recordId: existing.id };
    await repo.update(tx, existing.id, existing.version, {
      findings,
      gradeChangedAtModeration,
      ...(obligation ? { responseRequired: obligation.responseRequired } : {}),
    });
    await activityLog.record(tx, actor, {
      action: 'remediation.regrade',
      recordType: 'remediation',
      recordId: existing.id,
      summary: { before: { findings: existing.findings }, after: { findings, cause: input.cause } },
    });
    return { outcome: 'regraded' as const, recordId: existing.id };
  }

  const reaudits = createReaudits(activityLog, frameworks, calendarFor, notify);
  const actions = createActionsService(db, activityLog, visible, notify, reaudits.schedule);

  /**
   * The records the user may see, newest first: their teams' (managers, heads of service, admins), those
   * of audits they graded (auditors) and those with actions waiting for a moderator's verification.
   */
  async function list(user: User, filter: RecordFilter, actor?: Actor): Promise<RemediationRecord[]> {
    const found = new Map<number, RemediationRecord>();
    const add = (records: RemediationRecord[]) => records.forEach((r) => found.set(r.id, r));
    add(await repo.list(db.executor, caseScopeFor(user), filter));
    if (user.roles.includes('auditor'))
      add(await repo.list(db.executor, { kind: 'all' }, { ...filter, auditorUserId: user.id }));
    if (user.roles.includes('moderator'))
      add(
        (await repo.list(db.executor, { kind: 'all' }, { ...filter, awaitingVerification: true })).filter(
          (r) => mayVerify(user, r),
        ),
      );
    // Of restricted cases, only those the user was granted (src/remediation/access.ts).
    const records = [...found.values()].filter((r) => mayRead(user, r)).sort((a, b) => b.id - a.id);
    if (actor && records.length > 0) await activityLog.recordView(actor, 'remediation_list', user.id);
    return records;
  }

  return {
    reconsider,
    sweep: createEscalationSweep(db, activityLog, calendarFor, notify, directorAfterDays),

    /** How many open records have been escalated to this user (a head of service, or a director). */
    async escalatedTo(user: User) {
      const [toHead, toDirector] = await Promise.all([
        user.roles.includes('head_of_service')
          ? escalationRepository.countFor(db.executor, user.id, 'head_of_service')
          : 0,
        user.roles.includes('director') ? escalationRepository.countFor(db.executor, user.id, 'director') : 0,
      ]);
      return toHead + toDirector;
    },

    list,

    /** Re-audits nobody is allocated to, soonest due first: for administrators (no view to log). */
    reauditsToAllocate: () => reaudits.toAllocate(db.executor),

    /**
     * The Actions page: the open records the user may see, each with its action counts and where it
     * stands today (awaiting a response, overdue, due within five working days, waiting for verification),
     * and whether the user owns it or verifies it.
     */
    async board(user: User, actor?: Actor) {
      const today = londonDate();
      const records = await list(user, { status: 'open' }, actor);
      const counts = await repo.actionCounts(
        db.executor,
        records.map((r) => r.id),
        today,
      );
      const soon = (await calendarFor(db.executor)).addWorkingDays(today, 5);
      return records.map((record) => {
        const c = counts.get(record.id) ?? { open: 0, inProgress: 0, completed: 0, verified: 0, overdue: 0 };
        const awaitingResponse = record.responseRequired && record.response === null;
        const responseOverdue = awaitingResponse && record.responseDue < today;
        const nothingSet = c.open + c.inProgress + c.completed + c.verified === 0;
        const unfinished = c.open + c.inProgress > 0 || nothingSet;
        return {
          record,
          counts: c,
          awaitingResponse,
          // The repository's overdue rule, from the counts: the sweep escalates exactly these.
          overdue: responseOverdue || c.overdue > 0 || (nothingSet && record.completionDue < today),
          dueSoon:
            (awaitingResponse && record.responseDue >= today && record.responseDue <= soon) ||
            (unfinished && record.completionDue >= today && record.completionDue <= soon),
          awaitingVerification: c.completed > 0,
          owned: owns(user, record),
          toVerify: mayVerify(user, record) && c.completed > 0,
          /** Seen only because the user graded the audit (not a record of their teams or area). */
          gradedOnly: !scopeIncludes(caseScopeFor(user), record.teamId) && record.auditorUserId === user.id,
        };
      });
    },

    /** Counts over the records in the user's aggregate scope (a director's: the whole service); no case detail. */
    async totals(user: User) {
      return repo.totals(db.executor, scopeFor(user, 'aggregates'), londonDate());
    },

    /** A record with its actions and what the user may do with it; the view is logged. */
    async get(id: number, user: User, actor: Actor) {
      const record = await visible(db.executor, id, user);
      const detail = await detailOf(record, user);
      await activityLog.recordView(actor, 'remediation', id);
      return detail;
    },

    /** The record again, as a form posted to it reads it: not a view. */
    async load(id: number, user: User) {
      return detailOf(await visible(db.executor, id, user), user);
    },

    /** The organisation's current staff, with their teams: who may own an action. */
    ownerChoices: async () => (await organisationReadModel.staff(db.executor)).filter((p) => p.active),

    /** The record an action belongs to, for a user who may see it (anyone else: it does not exist). */
    async recordOfAction(actionId: number, user: User): Promise<number> {
      const action = await repo.findAction(db.executor, actionId);
      const record = action && (await repo.find(db.executor, action.recordId));
      if (!record || !mayRead(user, record)) throw new NotFoundError(`There is no action ${actionId}.`);
      return record.id;
    },

    respond: (id: number, body: unknown, user: User, actor: Actor) => actions.respond(id, body, user, actor),
    addAction: (id: number, body: unknown, user: User, actor: Actor) => actions.add(id, body, user, actor),
    moveAction: (id: number, body: unknown, user: User, actor: Actor) => actions.move(id, body, user, actor),
  };

  async function detailOf(record: RemediationRecord, user: User) {
    const { framework } = await frameworks.get(record.frameworkId, record.frameworkVersion);
    const actions = await repo.actions(db.executor, record.id);
    const reaudit = await reaudits.of(db.executor, record, framework, user);
    return {
      record,
      framework,
      actions,
      reaudit,
      mayRespond: owns(user, record) && record.status === 'open' && record.response === null,
      mayAddActions: owns(user, record) && record.status === 'open',
      mayVerify: mayVerify(user, record),
      timeline: await activityLog.timeline([
        { recordType: 'audit', recordIds: [String(record.auditId)], actions: AUDIT_MILESTONES },
        { recordType: 'remediation', recordIds: [String(record.id)] },
        { recordType: 'remediation_action', recordIds: actions.map((a) => String(a.id)) },
        ...(reaudit ? [reauditMilestones(reaudit.auditId)] : []),
      ]),
    };
  }
}
