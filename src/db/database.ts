import type { Knex } from 'knex';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createKnex } from './connection';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';

export interface OpenDatabase {
  knex: Knex;
  /** Present when this process started (or joined) the embedded PostgreSQL. */
  embedded: EmbeddedDatabase | undefined;
  /** Closes the pool, then stops the embedded database if this process started it. */
  close(): Promise<void>;
}

/** DATABASE_URL when set; otherwise an embedded PostgreSQL in DATA_DIR (refused in production by config). */
export async function openDatabase(
  config: Config,
  logger: Logger,
  applicationName: string,
): Promise<OpenDatabase> {
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  const url = config.databaseUrl ?? (embedded as EmbeddedDatabase).url;
  const knex = createKnex({
    url,
    poolMax: config.databasePoolMax,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    applicationName,
    logger,
  });
  return {
    knex,
    embedded,
    async close() {
      await knex.destroy();
      await embedded?.stop();
    },
  };
}
