import type { Executor } from '../db/transaction';
import { apiTokenRepository } from './repository';

/** Revokes every usable API token of a user, in the caller's transaction (the user was deactivated). */
export function revokeTokensOf(tx: Executor, userId: number): Promise<number> {
  return apiTokenRepository.revokeAllForUser(tx, userId);
}
