import knex, { type Knex } from 'knex';
import pg from 'pg';

// DATE columns stay 'YYYY-MM-DD' strings: turning them into JS Dates shifts them across time zones.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// COUNT(*) and BIGINT ids arrive as strings by default; every count and id here fits in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface ConnectionOptions {
  url: string;
  poolMax?: number;
  /** Application name shown in pg_stat_activity, to tell the server, CLI and tests apart. */
  applicationName?: string;
}

export function createKnex({ url, poolMax = 10, applicationName = 'case-audit' }: ConnectionOptions): Knex {
  return knex({
    client: 'pg',
    connection: {
      connectionString: url,
      application_name: applicationName,
      // Fail fast when the server is unreachable rather than hanging a request.
      connectionTimeoutMillis: 5000,
    },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10000,
  });
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
