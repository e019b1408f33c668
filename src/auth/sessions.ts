import type { Executor } from '../db/transaction';
import { sessionRepository } from './session-repository';

/** Ends every session of a user, in the caller's transaction (deactivated, or signed out everywhere). */
export function endSessionsOf(tx: Executor, userId: number): Promise<number> {
  return sessionRepository.destroyForUser(tx, userId);
}
