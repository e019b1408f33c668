import type { ActionStatus } from './repository';

/** Who may make a move: the record's owners (or the action's owner), or its verifiers. */
export type Mover = 'owner' | 'verifier';

interface Move {
  to: ActionStatus;
  by: readonly Mover[];
  /** What the move must carry: a reason to send it back, a note of what was checked to verify it. */
  needs?: 'reason' | 'note';
}

/**
 * How an action moves: open → in progress → completed → verified (by the auditor or a moderator), or back
 * to open with a reason. Verified is final.
 */
export const MOVES: Record<ActionStatus, readonly Move[]> = {
  open: [{ to: 'in_progress', by: ['owner'] }],
  in_progress: [
    { to: 'completed', by: ['owner'] },
    { to: 'open', by: ['owner'], needs: 'reason' },
  ],
  completed: [
    { to: 'verified', by: ['verifier'], needs: 'note' },
    { to: 'open', by: ['owner', 'verifier'], needs: 'reason' },
  ],
  verified: [],
};

/** The statuses an action may move to from `from`, for someone who is these movers. */
export function allowedMoves(from: ActionStatus, movers: readonly Mover[]): Move[] {
  return MOVES[from].filter((move) => move.by.some((who) => movers.includes(who)));
}

export const STATUS_WORDS: Record<ActionStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  completed: 'Completed',
  verified: 'Verified',
};
