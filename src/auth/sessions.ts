import type { Executor } from '../db/transaction';
import { sessionRepository } from './session-repository';

/** Ends every session of a user, in the caller's transaction (deactivated, or signed out everywhere). */
export function endSessionsOf(tx: Executor, userId: number): Promise<number> {
  return sessionRepository.destroyForUser(tx, userId);
}

/**
 * Ends the sessions a single sign-on began for a NameID, those of the given SessionIndexes only when any
 * are given (the identity provider ending its session): each one's id and user.
 */
export function endSingleSignOnSessions(
  tx: Executor,
  nameId: string,
  sessionIndexes: readonly string[],
): Promise<{ sid: string; userId: number | null }[]> {
  return sessionRepository.destroyForSingleSignOn(tx, nameId, sessionIndexes);
}
