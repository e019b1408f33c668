import type { Executor } from '../db/transaction';
import type { ModerationReason } from './policy';
import { moderationRepository } from './repository';

/**
 * How the audits feature puts a submitted audit into moderation and takes it out again, inside its own
 * transaction (submission and reopening), and reads an audit's moderation for its admins. Only the
 * moderation feature writes moderation rows; this is the door it keeps for audits.
 */
export const moderationSelection = {
  /** Puts a submitted revision in the moderation queue, for the reason the round's policy gave. */
  select: (
    tx: Executor,
    selected: { auditId: number; revisionId: number; reason: ModerationReason; blind: boolean },
  ) => moderationRepository.insert(tx, selected),

  /** The moderation of one submitted revision of an audit, if it was selected. */
  ofRevision: (tx: Executor, auditId: number, revision: number) =>
    moderationRepository.forRevisionOf(tx, auditId, revision),

  /** Takes a moderation out of the queue (its audit was reopened before a moderator started). */
  cancel: (tx: Executor, moderationId: number) => moderationRepository.cancel(tx, moderationId),

  /** An audit's current moderation with the moderator's grades, if it has one. */
  async currentWithGrades(ex: Executor, auditId: number) {
    const record = await moderationRepository.currentFor(ex, auditId);
    return record && { record, grades: await moderationRepository.grades(ex, record.id) };
  },
};
