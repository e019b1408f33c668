import { AsyncLocalStorage } from 'node:async_hooks';
import type { Executor, TransactionHook } from '../db/transaction';
import { idempotencyRepository } from './repository';

/** A request sent with an Idempotency-Key, for the length of its handling. */
export interface IdempotentRequest {
  userId: number;
  key: string;
  fingerprint: string;
  /** The first request's result, when this one repeats a change that committed. */
  replay?: { result: unknown };
  /** Only the request's first transaction is its change; any later ones run as usual. */
  used: boolean;
}

const requests = new AsyncLocalStorage<IdempotentRequest>();

/** Runs the rest of a request's handling as an idempotent request. */
export function runIdempotent<T>(request: IdempotentRequest, handle: () => T): T {
  return requests.run(request, handle);
}

/**
 * The transaction hook that makes keyed changes repeatable: the first transaction of a keyed request
 * records the key and its result in the same transaction as the change, so either both commit or neither
 * does; a repeat of a committed change gets the recorded result without running the change again.
 */
export const idempotentTransactions: TransactionHook = async <T>(
  tx: Executor,
  work: (tx: Executor) => Promise<T>,
): Promise<T> => {
  const request = requests.getStore();
  if (!request || request.used) return work(tx);
  request.used = true;
  if (request.replay) return request.replay.result as T;
  const result = await work(tx);
  await idempotencyRepository.insert(tx, { ...request, result });
  return result;
};
