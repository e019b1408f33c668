import type { Database } from '../db/transaction';
import { idempotencyRepository } from './repository';

/** How long a change's key is remembered: a retry comes within minutes; a day leaves room for an outage. */
const KEEP_HOURS = 24;

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;

export function createIdempotencyService(db: Database) {
  return {
    pruneExpired: () => idempotencyRepository.pruneOlderThan(db.executor, KEEP_HOURS),
  };
}
