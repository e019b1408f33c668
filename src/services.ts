import type { Knex } from 'knex';
import { createActivityLog } from './activity-log/service';
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
import type { Logger } from './logger';
import { createModerationService } from './moderation/service';
import { createOrganisationAdminService } from './organisation/admin-service';
import { createOrganisationService } from './organisation/service';
import { createRoundClosingService } from './rounds/close-service';
import { createRoundProgressService } from './rounds/progress-service';
import { createRoundsService } from './rounds/service';
import { createTemplateEngine } from './templates/engine';
import { createTokensService } from './tokens/service';
import { createUsersService } from './users/service';

/** The composition root: every service is built here, once, from the configuration and the pool. */
export function createServices(config: Config, logger: Logger, knex: Knex) {
  const db = createDatabase(knex, idempotentTransactions);
  const activityLog = createActivityLog(db);
  const users = createUsersService(db, activityLog);
  const frameworks = createFrameworksService(db, activityLog, logger);
  const cases = createCasesService(db, activityLog);
  const escalations = createEscalationsService(db, activityLog, users);
  return {
    config,
    logger,
    db,
    info: readAppInfo(config.gitCommit),
    templates: createTemplateEngine(),
    activityLog,
    users,
    tokens: createTokensService(db, activityLog),
    organisation: createOrganisationService(db),
    organisationAdmin: createOrganisationAdminService(db, activityLog),
    frameworks,
    cases,
    rounds: createRoundsService(db, activityLog, frameworks, cases, users),
    roundProgress: createRoundProgressService(db, activityLog, frameworks),
    roundClosing: createRoundClosingService(db, activityLog),
    audits: createAuditsService(db, activityLog, frameworks, escalations),
    escalations,
    auditOutcomes: createAuditOutcomesService(db, activityLog, frameworks),
    moderation: createModerationService(db, activityLog, frameworks),
    calibration: createCalibrationService(db, activityLog, frameworks, users),
    health: createHealthService(db, config.healthTimeoutMs, logger),
    idempotency: createIdempotencyService(db),
    sessionStore: new PostgresSessionStore(db.executor, config.sessionIdleMinutes * 60_000),
  };
}

export type Services = ReturnType<typeof createServices>;
