import type { Knex } from 'knex';
import { createAuditLog } from './audit-log/service';
import { createAuditOutcomesService } from './audit-outcomes/service';
import { createAuditsService } from './audits/service';
import { createCalibrationService } from './calibration/service';
import { createCasesService } from './cases/service';
import { PostgresSessionStore } from './auth/session-store';
import type { Config } from './config';
import { createDatabase } from './db/transaction';
import { createEscalationsService } from './escalations/service';
import { createFrameworksService } from './frameworks/service';
import { idempotentTransactions } from './idempotency/context';
import { createIdempotencyService } from './idempotency/service';
import { readAppInfo } from './health/info';
import { createHealthService } from './health/service';
import { createViews } from './http/views';
import type { Logger } from './logger';
import { createModerationService } from './moderation/service';
import { createOrganisationAdminService } from './organisation/admin-service';
import { createOrganisationService } from './organisation/service';
import { createRoundClosingService } from './rounds/close-service';
import { createRoundProgressService } from './rounds/progress-service';
import { createRoundsService } from './rounds/service';
import { createTokensService } from './tokens/service';
import { createUsersService } from './users/service';

/** The composition root: every service is built here, once, from the configuration and the pool. */
export function createServices(config: Config, logger: Logger, knex: Knex) {
  const db = createDatabase(knex, idempotentTransactions);
  const auditLog = createAuditLog(db);
  const users = createUsersService(db, auditLog);
  const frameworks = createFrameworksService(db, auditLog, logger);
  const cases = createCasesService(db, auditLog);
  const escalations = createEscalationsService(db, auditLog, users);
  return {
    config,
    logger,
    db,
    info: readAppInfo(config.gitCommit),
    views: createViews(),
    auditLog,
    users,
    tokens: createTokensService(db, auditLog),
    organisation: createOrganisationService(db),
    organisationAdmin: createOrganisationAdminService(db, auditLog),
    frameworks,
    cases,
    rounds: createRoundsService(db, auditLog, frameworks, cases, users),
    roundProgress: createRoundProgressService(db, auditLog, frameworks),
    roundClosing: createRoundClosingService(db, auditLog),
    audits: createAuditsService(db, auditLog, frameworks, escalations),
    escalations,
    auditOutcomes: createAuditOutcomesService(db, auditLog, frameworks),
    moderation: createModerationService(db, auditLog, frameworks),
    calibration: createCalibrationService(db, auditLog, frameworks, users),
    health: createHealthService(db, config.healthTimeoutMs, logger),
    idempotency: createIdempotencyService(db),
    sessionStore: new PostgresSessionStore(db.executor, config.sessionIdleMinutes * 60_000),
  };
}

export type Services = ReturnType<typeof createServices>;
