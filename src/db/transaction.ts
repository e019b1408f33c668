import type { Knex } from 'knex';
import { CommitOutcomeUnknownError } from '../errors';
import { isDatabaseUnavailable } from './errors';
import { knexOf } from './query';

declare const opaque: unique symbol;

/**
 * What repositories run queries on: the pool, or a transaction. Services pass it through without knowing
 * what it is, so that a change and its audit row commit together; they cannot query through it, because
 * only repositories may open it (`knexOf` in src/db/query.ts, which ESLint keeps to repositories).
 */
export interface Executor {
  readonly [opaque]: 'Executor';
}

/** The pool or a transaction as an Executor. */
export const asExecutor = (knex: Knex | Knex.Transaction): Executor => knex as unknown as Executor;

/**
 * Runs around the work of every outermost transaction, inside it: may add writes of its own to the same
 * transaction, or answer without running the work at all (idempotent requests, src/idempotency).
 */
export type TransactionHook = (<T>(tx: Executor, work: (tx: Executor) => Promise<T>) => Promise<T>) & {
  /** Whether the hook has work of its own to add to the request's next transaction. */
  wanted?: () => boolean;
};

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
  /**
   * Runs `work`, a single statement that makes a whole change by itself (its own implicit transaction), on
   * the pool: one round trip where BEGIN and COMMIT would add two. When the hook has work to add (an
   * Idempotency-Key to record with the change), in a transaction as usual. When the connection is lost
   * while it runs, whether the change was made is unknown: a CommitOutcomeUnknownError.
   */
  statement<T>(work: (ex: Executor) => Promise<T>): Promise<T>;
}

export function createDatabase(db: Knex, hook?: TransactionHook): Database {
  const pool = asExecutor(db);
  return {
    executor: pool,
    async transaction(work, outer = pool) {
      if (outer !== pool) return knexOf(outer).transaction((tx) => work(asExecutor(tx)));
      let committing = false;
      try {
        return await db.transaction(async (knexTx) => {
          const tx = asExecutor(knexTx);
          const result = hook ? await hook(tx, work) : await work(tx);
          committing = true;
          return result;
        });
      } catch (err) {
        if (committing && isDatabaseUnavailable(err)) throw new CommitOutcomeUnknownError(err);
        throw err;
      }
    },
    async statement(work) {
      if (hook?.wanted?.()) return this.transaction(work);
      try {
        return await work(pool);
      } catch (err) {
        if (isDatabaseUnavailable(err)) throw new CommitOutcomeUnknownError(err);
        throw err;
      }
    },
  };
}
