import knex, { type Knex } from 'knex';
import pg from 'pg';
import { redactMessage } from '../log-redaction';
import type { Logger } from '../logger';

// DATE columns stay 'YYYY-MM-DD' strings: turning them into JS Dates shifts them across time zones.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// COUNT(*) and BIGINT ids arrive as strings by default; every count and id here fits in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface ConnectionOptions {
  url: string;
  poolMax?: number;
  /**
   * PostgreSQL's statement_timeout on every connection of the pool: a runaway query is cancelled rather than
   * holding a connection, and its locks, until the pool runs dry. Unset or 0: no limit.
   */
  statementTimeoutMs?: number;
  /** Application name shown in pg_stat_activity, to tell the server, CLI and tests apart. */
  applicationName?: string;
  /** Where knex's own warnings go (a lost connection, say); without one, the console. */
  logger?: Logger;
}

/** knex's warnings as JSON log lines like the rest, with quoted values removed, rather than console text. */
function knexLog(logger: Logger) {
  const to = (level: 'warn' | 'error' | 'debug') => (message: unknown) =>
    logger[level]({ knex: redactMessage(String(message)) }, 'database client');
  return { warn: to('warn'), error: to('error'), debug: to('debug'), deprecate: to('warn') };
}

/**
 * knex puts a failed query's SQL in front of PostgreSQL's message. The SQL says nothing the error's code and
 * PostgreSQL's own words do not, and has no place in logs; so the message goes back to PostgreSQL's words.
 */
function restorePostgresMessage(err: unknown, query: { sql?: unknown }): void {
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && typeof query.sql === 'string' && message.startsWith(`${query.sql} - `))
    (err as { message: string }).message = message.slice(query.sql.length + 3);
}

export function createKnex({
  url,
  poolMax = 10,
  statementTimeoutMs,
  applicationName = 'case-audit',
  logger,
}: ConnectionOptions): Knex {
  const db = knex({
    client: 'pg',
    ...(logger ? { log: knexLog(logger) } : {}),
    connection: {
      connectionString: url,
      application_name: applicationName,
      // Fail fast when the server is unreachable rather than hanging a request.
      connectionTimeoutMillis: 5000,
      ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
    },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10000,
    // Without this knex writes the bindings (values) into the SQL it puts in front of an error's message.
    compileSqlOnError: false,
  });
  db.on('query-error', restorePostgresMessage);
  return db;
}

/** Runs `select 1`, failing after `timeoutMs` even when no connection can be had. */
export async function ping(db: Knex, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([db.raw('select 1'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
