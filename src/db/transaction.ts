import type { Knex } from 'knex';

/**
 * What repositories run queries on: the pool, or a transaction. Services pass it through without knowing
 * what it is, so that a change and its audit row commit together.
 */
export type Executor = Knex | Knex.Transaction;

export interface Database {
  /** The pool, for reads outside a transaction. */
  readonly executor: Executor;
  /**
   * Runs `work` in a transaction, committed when it resolves and rolled back when it throws. Called with an
   * open transaction it nests as a savepoint, so services can call each other freely.
   */
  transaction<T>(work: (tx: Executor) => Promise<T>, outer?: Executor): Promise<T>;
}

export function createDatabase(db: Knex): Database {
  return {
    executor: db,
    transaction: (work, outer = db) => outer.transaction((tx) => work(tx)),
  };
}
