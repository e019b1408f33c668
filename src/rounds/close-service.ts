import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { longDate } from '../dates';
import type { Database } from '../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { isPlainObject } from '../validation';
import { roundProgressRepository, type CarryOverTarget, type RoundToClose } from './progress-repository';

/** What to do with the audits not yet submitted when their round closes. */
export type UnsubmittedChoice = 'cancel' | 'carry-over';

export interface CloseInput {
  unsubmitted?: UnsubmittedChoice;
  /** Why they are cancelled (for `cancel`). */
  reason?: string;
  /** The open round they go to (for `carry-over`). */
  toRoundId?: number;
}

/** What closing did: the answer to the request, and to any repeat of it. */
export interface CloseResult {
  roundId: number;
  name: string;
  outcome: 'none' | 'cancelled' | 'carried_over';
  cancelled: number;
  carriedOver: number;
  toRound: { id: number; name: string } | null;
}

export const MAX_CANCEL_REASON = 2000;

/** A round closed already: nothing is changed, and the answer says when and by whom it was closed. */
export class RoundAlreadyClosedError extends ConflictError {
  constructor(round: RoundToClose) {
    const when = round.closedAt ? ` on ${longDate(round.closedAt)}` : '';
    const who = round.closedByName ? ` by ${round.closedByName}` : '';
    super(`${round.name} was already closed${when}${who}. Nothing was changed.`);
  }
}

/** The request body as a choice; each problem named by field. */
export function closeInputOf(body: unknown): CloseInput {
  const raw = isPlainObject(body) ? body : {};
  const input: CloseInput = {};
  if (raw.unsubmitted === 'cancel' || raw.unsubmitted === 'carry-over') input.unsubmitted = raw.unsubmitted;
  else if (raw.unsubmitted !== undefined && raw.unsubmitted !== null && raw.unsubmitted !== '')
    throw new ValidationError('Choose what happens to the audits not yet submitted.', [
      { field: 'unsubmitted', message: 'must be "cancel" or "carry-over"' },
    ]);
  if (typeof raw.reason === 'string') input.reason = raw.reason;
  const to = raw.toRoundId;
  if (typeof to === 'number' || (typeof to === 'string' && /^[1-9][0-9]{0,9}$/.test(to)))
    input.toRoundId = Number(to);
  return input;
}

export type RoundClosingService = ReturnType<typeof createRoundClosingService>;

/**
 * Closing a round. Its unsubmitted audits are either cancelled with a reason or carried over, with their
 * drafts and allocations, to another open round of the same framework version: an open audit always
 * belongs to an open round, so a closed round's figures are final and its cases can be sampled again.
 */
export function createRoundClosingService(db: Database, activityLog: ActivityLog) {
  async function openRound(roundId: number) {
    const round = await roundProgressRepository.forClosing(db.executor, roundId);
    if (!round) throw new NotFoundError(`There is no audit round ${roundId}.`);
    return round;
  }

  return {
    /** What the close page offers: how many audits are not yet submitted and where they could go. */
    async options(roundId: number) {
      const round = await openRound(roundId);
      if (round.status === 'closed') throw new RoundAlreadyClosedError(round);
      const [unsubmitted, targets] = await Promise.all([
        roundProgressRepository.unsubmittedCount(db.executor, roundId),
        roundProgressRepository.carryOverTargets(db.executor, roundId, round.frameworkVersionId),
      ]);
      return { round, unsubmitted, targets };
    },

    /** Closes the round and settles its unsubmitted audits, all in one transaction, recorded. */
    async close(roundId: number, input: CloseInput, actor: Actor): Promise<CloseResult> {
      return db.transaction(async (tx) => {
        const round = await roundProgressRepository.forClosing(tx, roundId, true);
        if (!round) throw new NotFoundError(`There is no audit round ${roundId}.`);
        if (round.status === 'closed') throw new RoundAlreadyClosedError(round);
        const unsubmitted = await roundProgressRepository.unsubmittedCount(tx, roundId);
        let cancelled: number[] = [];
        let carried: number[] = [];
        let target: CarryOverTarget | undefined;
        const reason = input.reason?.trim() ?? '';
        if (unsubmitted > 0) {
          if (!input.unsubmitted)
            throw new ValidationError('Choose what happens to the audits not yet submitted.', [
              {
                field: 'unsubmitted',
                message: 'Choose whether to cancel the audits not yet submitted or carry them over',
              },
            ]);
          if (input.unsubmitted === 'cancel') {
            if (!reason || reason.length > MAX_CANCEL_REASON)
              throw new ValidationError('Give the reason for cancelling the audits.', [
                {
                  field: 'reason',
                  message: `Enter why the audits are cancelled (up to ${MAX_CANCEL_REASON} characters): their auditors will see it`,
                },
              ]);
            cancelled = await roundProgressRepository.cancelUnsubmitted(tx, roundId, reason, actor.userId);
          } else {
            const targets = await roundProgressRepository.carryOverTargets(
              tx,
              roundId,
              round.frameworkVersionId,
            );
            target = targets.find((t) => t.id === input.toRoundId);
            if (!target)
              throw new ValidationError('Choose the open round to carry the audits over to.', [
                {
                  field: 'toRoundId',
                  message:
                    targets.length === 0
                      ? 'No other open round uses the same framework version: cancel the audits instead'
                      : 'Choose an open round that uses the same framework version',
                },
              ]);
            const clash = await roundProgressRepository.alreadyIn(tx, roundId, target.id);
            if (clash.length > 0)
              throw new ValidationError(`${target.name} already audits some of these children.`, [
                {
                  field: 'toRoundId',
                  message: `${target.name} already has an audit of case ${clash.join(', ')}: choose another round, or cancel the audits`,
                },
              ]);
            carried = await roundProgressRepository.carryOver(tx, roundId, target);
          }
        }
        const outcome = cancelled.length > 0 ? 'cancelled' : carried.length > 0 ? 'carried_over' : 'none';
        await roundProgressRepository.markClosed(tx, roundId, {
          userId: actor.userId,
          outcome,
          toRoundId: target && carried.length > 0 ? target.id : null,
        });
        for (const id of cancelled)
          await activityLog.record(tx, actor, {
            action: 'audit.cancel',
            recordType: 'audit',
            recordId: id,
            summary: { after: { status: 'cancelled', reason }, roundId },
          });
        for (const id of carried)
          await activityLog.record(tx, actor, {
            action: 'audit.carry_over',
            recordType: 'audit',
            recordId: id,
            summary: { before: { roundId }, after: { roundId: target?.id, dueDate: target?.dueDate } },
          });
        await activityLog.record(tx, actor, {
          action: 'audit_round.close',
          recordType: 'audit_round',
          recordId: roundId,
          summary: {
            before: { status: 'open' },
            after: {
              status: 'closed',
              unsubmitted: outcome,
              cancelled: cancelled.length,
              carriedOver: carried.length,
              ...(outcome === 'cancelled' ? { reason } : {}),
              ...(target && carried.length > 0 ? { toRound: target.name, toRoundId: target.id } : {}),
            },
          },
        });
        return {
          roundId,
          name: round.name,
          outcome,
          cancelled: cancelled.length,
          carriedOver: carried.length,
          toRound: target && carried.length > 0 ? { id: target.id, name: target.name } : null,
        };
      });
    },
  };
}
