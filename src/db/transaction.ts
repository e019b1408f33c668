import type { Knex } from 'knex';
import { CommitOutcomeUnknownError } from '../errors';
import { isDatabaseUnavailable } from './errors';

/**
 * What repositories run queries on: the pool, or a transaction. Services pass it through without knowing
 * what it is, so that a change and its audit row commit together.
 */
export type Executor = Knex | Knex.Transaction;

/**
 * Runs around the work of every outermost transaction, inside it: may add writes of its own to the same
 * transaction, or answer without running the work at all (idempotent requests, src/idempotency).
 */
export type TransactionHook = <T>(tx: Executor, work: (tx: Executor) => Promise<T>) => Promise<T>;

export interface Database {
  /** The pool, for reads outside a transaction. */
  readonly executor: Executor;
  /**
   * Runs `work` in a transaction, committed when it resolves and rolled back when it throws. Called with an
   * open transaction it nests as a savepoint, so services can call each other freely. When the connection
   * is lost during COMMIT, whether the change was saved is unknown: that is a CommitOutcomeUnknownError,
   * never an error that says it failed.
   */
  transaction<T>(work: (tx: Executor) => Promise<T>, outer?: Executor): Promise<T>;
}

export function createDatabase(db: Knex, hook?: TransactionHook): Database {
  return {
    executor: db,
    async transaction(work, outer = db) {
      if (outer !== db) return outer.transaction((tx) => work(tx));
      let committing = false;
      try {
        return await db.transaction(async (tx) => {
          const result = hook ? await hook(tx, work) : await work(tx);
          committing = true;
          return result;
        });
      } catch (err) {
        if (committing && isDatabaseUnavailable(err)) throw new CommitOutcomeUnknownError(err);
        throw err;
      }
    },
  };
}
