import type { Knex } from 'knex';
import { identityCacheFor } from './auth/identity-cache';
import { setUpRateLimits } from './http/rate-limit';
import { PostgresSessionStore } from './auth/session-store';
import type { Config } from './config';
import { createDatabase } from './db/transaction';
import { readAppInfo } from './health/info';
import { idempotentTransactions } from './idempotency/context';
import { createJobQueue } from './jobs/queue';
import { createMailer } from './notifications/mailer';
import type { Logger } from './logger';
import { createTemplateEngine } from './templates/engine';

/**
 * What the services and the web app run on: configuration, logging, the database (its transactions carry
 * the Idempotency-Key hook), the job queue (in the same database) and the mailer, the compiled templates,
 * the session store, the cache of who requests act as, and what the app says about itself. Built once by each process: the web server (which
 * also runs the queue's workers) and the command line.
 */
export function createInfrastructure(config: Config, logger: Logger, knex: Knex) {
  const db = createDatabase(knex, idempotentTransactions);
  return {
    config,
    logger,
    db,
    jobs: createJobQueue(db, logger, config.jobs),
    mailer: createMailer(config.mail),
    templates: createTemplateEngine(),
    sessionStore: new PostgresSessionStore(db.executor, config.sessionIdleMinutes * 60_000),
    rateLimits: setUpRateLimits(knex, config.rateLimits),
    identityCache: identityCacheFor(knex, logger),
    info: readAppInfo(config.gitCommit),
  };
}

export type Infrastructure = ReturnType<typeof createInfrastructure>;
