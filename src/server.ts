import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { SYSTEM_ACTOR } from './activity-log/actor';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase, type OpenDatabase } from './db/database';
import { migrateLatest } from './db/migrations';
import { seedDemoActivity } from './demo/activity';
import { seedDemoHistory } from './demo/history';
import { describeDemoSeed } from './demo/describe';
import { answerClientErrors } from './http/client-error';
import { seedDemo } from './demo/seed';
import { createInfrastructure, type Infrastructure } from './infrastructure';
import { redactMessage } from './log-redaction';
import { createLogger, type Logger } from './logger';
import { FRAMEWORKS_DIR } from './paths';
import { createServices, type Services } from './services';
import { jobsOf } from './workers';

/**
 * The address to show: a wildcard or loopback address is reached as localhost from the same machine
 * (browsers try both IPv4 and IPv6 loopback for it).
 */
function shownHost(host: string): string {
  if (['0.0.0.0', '::', '127.0.0.1', '::1'].includes(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** How often expired sessions, idempotency keys and rate-limit counters are deleted. */
const PRUNE_INTERVAL_MS = 15 * 60_000;

function listen(server: http.Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `Port ${config.port} on ${config.host} is already in use: stop the other process or set PORT.`,
            )
          : err,
      );
    });
    server.listen(config.port, config.host, resolve);
  });
}

/** Stop accepting, let in-flight requests finish, then close the pool and the embedded database. */
function handleShutdown(
  server: http.Server,
  database: OpenDatabase,
  { logger, config, jobs, mailer, identityCache }: Infrastructure,
  services: Services,
  timers: NodeJS.Timeout[],
) {
  let stopping = false;
  return async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    services.health.markShuttingDown();
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown took too long; exiting anyway');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    timers.forEach(clearInterval);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections become idle as their last response is sent; close each as soon as it is.
    const reaper = setInterval(() => server.closeIdleConnections(), 100);
    await closed;
    clearInterval(reaper);
    try {
      await jobs.stop(config.shutdownTimeoutMs / 2);
    } catch (err) {
      logger.error({ err }, 'error while stopping the job queue');
    }
    mailer.close();
    await identityCache.close();
    try {
      await database.close();
    } catch (err) {
      logger.error({ err }, 'error while closing the database');
    }
    logger.info('stopped');
    process.exit(0);
  };
}

async function start(config: Config, logger: Logger): Promise<void> {
  const startedAt = performance.now();
  const database = await openDatabase(config, logger, 'case-audit-server');
  try {
    const applied = await migrateLatest(database.knex);
    logger.info({ applied }, applied.length > 0 ? 'database migrated' : 'database schema is up to date');
    const infrastructure = createInfrastructure(config, logger, database.knex);
    const services = createServices(infrastructure);
    const frameworks = await services.frameworks.loadDirectory(FRAMEWORKS_DIR, SYSTEM_ACTOR);
    logger.info(
      {
        created: frameworks.loaded
          .filter((l) => l.outcome === 'created')
          .map((l) => `${l.version.frameworkId}@${l.version.version}`),
        unchanged: frameworks.loaded.filter((l) => l.outcome === 'unchanged').length,
        withProblems: frameworks.problems.map((p) => p.file),
      },
      'audit frameworks loaded',
    );
    // An import a stopped server left running rolled back with it: it is shown as failed, to run again.
    const failedImports = await services.cases.failAbandonedImports();
    if (failedImports > 0)
      logger.warn({ failedImports }, 'case imports left unfinished by a stopped server marked failed');
    if (config.seedDemo) {
      const organisation = await seedDemo(infrastructure.db, services.activityLog, SYSTEM_ACTOR);
      const activity = await seedDemoActivity(services, SYSTEM_ACTOR, infrastructure.db);
      const history = await seedDemoHistory(services, infrastructure.db, SYSTEM_ACTOR);
      const { message, added } = describeDemoSeed(organisation, activity, history);
      logger.info(added, message);
    }
    // Listening for changes to users and tokens before the first request, so that it can be cached.
    await infrastructure.identityCache.start();
    const server = http.createServer(createApp(infrastructure, services));
    answerClientErrors(server);
    await listen(server, config);
    const pruner = setInterval(() => {
      infrastructure.sessionStore
        .pruneExpired()
        .catch((err: unknown) => logger.warn({ err }, 'could not prune sessions'));
      services.idempotency
        .pruneExpired()
        .catch((err: unknown) => logger.warn({ err }, 'could not prune idempotency keys'));
      infrastructure.rateLimits
        .prune()
        .catch((err: unknown) => logger.warn({ err }, 'could not prune rate limits'));
    }, PRUNE_INTERVAL_MS).unref();
    const { workers, schedules } = jobsOf(infrastructure, services);
    await infrastructure.jobs.start(workers, schedules);
    // A sweep at start, as well as every hour: escalation does not wait for the next tick after a restart.
    await infrastructure.jobs.enqueueNow('remediation-sweep');
    infrastructure.mailer
      .verify()
      .catch((err: unknown) =>
        logger.warn({ err }, 'the mail server cannot be reached: emails wait until it can'),
      );
    const shutdown = handleShutdown(server, database, infrastructure, services, [pruner]);
    process.once('SIGTERM', (signal) => void shutdown(signal));
    process.once('SIGINT', (signal) => void shutdown(signal));
    const url = `http://${shownHost(config.host)}:${(server.address() as AddressInfo).port}`;
    logger.info(
      {
        url,
        startupMs: Math.round(performance.now() - startedAt),
        database: database.embedded ? 'embedded' : 'DATABASE_URL',
        authMode: config.authMode,
        mail: infrastructure.mailer.transport,
      },
      `Case Audit is running at ${url}`,
    );
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
}

function main(): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled promise rejection; exiting');
    process.exit(1);
  });
  start(config, logger).catch((err: unknown) => {
    logger.fatal(
      { err },
      `start-up stopped: ${redactMessage(err instanceof Error ? err.message : String(err))}`,
    );
    process.exit(1);
  });
}

main();
