import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import pino from 'pino';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrateLatest } from '../db/migrations';
import { createInfrastructure, type Infrastructure } from '../infrastructure';
import { createLogger } from '../logger';
import { createServices, type Services } from '../services';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

export interface CliContext {
  io: CliIo;
  print(line?: string): void;
  /** Opens the database (the embedded one when DATABASE_URL is unset), runs `work`, closes it. */
  withDatabase<T>(
    work: (knex: Knex, services: Services, infrastructure: Infrastructure) => Promise<T>,
  ): Promise<T>;
  /** As withDatabase, after bringing the schema up to date. */
  withServices<T>(work: (services: Services, infrastructure: Infrastructure) => Promise<T>): Promise<T>;
}

export function createCliContext(io: CliIo): CliContext {
  const withDatabase: CliContext['withDatabase'] = async (work) => {
    const config = loadConfig(io.env);
    // Commands print their results on stdout; only warnings and errors are logged, to stderr.
    const logger = createLogger(
      config.logLevel === 'info' ? 'warn' : config.logLevel,
      pino.destination({ fd: 2, sync: true }),
    );
    const database = await openDatabase(config, logger, 'case-audit-cli');
    try {
      const infrastructure = createInfrastructure(config, logger, database.knex);
      return await work(database.knex, createServices(infrastructure), infrastructure);
    } finally {
      await database.close();
    }
  };
  return {
    io,
    print: (line = '') => io.stdout.write(`${line}\n`),
    withDatabase,
    withServices: (work) =>
      withDatabase(async (knex, services, infrastructure) => {
        await migrateLatest(knex);
        return work(services, infrastructure);
      }),
  };
}
