import type { Knex } from 'knex';
import { knexOf } from './query';
import type { Executor } from './transaction';

/** A SQL text with PostgreSQL's own `$1` parameters, as libraries that speak to `pg` directly write them. */
export interface SqlRunner {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The `pg` client underneath: a query with `$1` parameters, or a stream (COPY) to run on it. */
export interface PgConnection {
  query(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
  query<S>(stream: S): S;
}
interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

// knex types its client loosely; a transaction's client hands out the transaction's own connection.
const clientOf = (ex: Executor) => (knexOf(ex) as Knex | Knex.Transaction).client as KnexClient;

/**
 * A transaction's own `pg` connection, for what knex cannot run itself (a COPY stream): it stays the
 * transaction's, so nothing is released.
 */
export function transactionConnection(tx: Executor): Promise<PgConnection> {
  return clientOf(tx).acquireConnection();
}

/**
 * Runs `$1`-style SQL on the executor's own connection: inside a transaction, in that transaction (so a job
 * put on the queue commits or rolls back with the change that caused it); on the pool, on a connection
 * borrowed for the one statement. For the job queue, whose SQL is written for `pg`, not for knex.
 */
export function sqlRunner(ex: Executor): SqlRunner {
  const client = clientOf(ex);
  return {
    async executeSql(text, values) {
      const connection = await client.acquireConnection();
      try {
        return await connection.query(text, values);
      } finally {
        await client.releaseConnection(connection);
      }
    },
  };
}
