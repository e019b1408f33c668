import { AsyncLocalStorage } from 'node:async_hooks';
import type { Executor, TransactionHook } from '../db/transaction';
import { ValidationError } from '../errors';
import { idempotencyRepository } from './repository';

/** A request sent with an Idempotency-Key (header or form field), for the length of its handling. */
export interface IdempotentRequest {
  userId: number;
  key: string;
  fingerprint: string;
  /** The first request's result, when this one repeats a change that had committed when it arrived. */
  replay?: { result: unknown };
  /** Only the request's first transaction is its change; any later ones run as usual. */
  used: boolean;
  /** Called when the request turns out to repeat a change that committed while it waited for it. */
  onReplay?: () => void;
}

const requests = new AsyncLocalStorage<IdempotentRequest>();

/** Runs the rest of a request's handling as an idempotent request. */
export function runIdempotent<T>(request: IdempotentRequest, handle: () => T): T {
  return requests.run(request, handle);
}

/**
 * The first request's result when the request being handled repeats a change already made, known before
 * its handling starts: for a route that must answer a repeat without what the first request used up (a
 * plan kept in the session until the round was created, say).
 */
export function repeatedResult<T>(): T | undefined {
  return requests.getStore()?.replay?.result as T | undefined;
}

export const differentRequest = () =>
  new ValidationError('This Idempotency-Key was used for a different request.', [
    { field: 'Idempotency-Key', message: 'was used for a different request: send a new key' },
  ]);

/**
 * The transaction hook that makes keyed changes repeatable: the first transaction of a keyed request
 * records the key and its result in the same transaction as the change, so either both commit or neither
 * does; a repeat of a committed change gets the recorded result without running the change again.
 * Requests with the same key wait for one another (a transaction-level advisory lock), so a repeat sent
 * while the first is still running (a double click) gets its result too, rather than a refusal.
 */
export const idempotentTransactions: TransactionHook = async <T>(
  tx: Executor,
  work: (tx: Executor) => Promise<T>,
): Promise<T> => {
  const request = requests.getStore();
  if (!request || request.used) return work(tx);
  request.used = true;
  if (request.replay) return request.replay.result as T;
  await idempotencyRepository.lock(tx, request.userId, request.key);
  const stored = await idempotencyRepository.find(tx, request.userId, request.key);
  if (stored) {
    if (stored.fingerprint !== request.fingerprint) throw differentRequest();
    request.replay = { result: stored.result };
    request.onReplay?.();
    return stored.result as T;
  }
  const result = await work(tx);
  await idempotencyRepository.insert(tx, { ...request, result });
  return result;
};

// A keyed request's first change is recorded with its key: it needs a transaction.
idempotentTransactions.wanted = () => {
  const request = requests.getStore();
  return request !== undefined && !request.used;
};
