import { createActivityLog } from './activity-log/service';
import { createAuditOutcomesService } from './audit-outcomes/service';
import { createAuditsService } from './audits/service';
import { createCalibrationService } from './calibration/service';
import { createCasesService } from './cases/service';
import { createEscalationsService } from './escalations/service';
import { createExportsService } from './exports/service';
import { createFrameworksService } from './frameworks/service';
import { createIdempotencyService } from './idempotency/service';
import { createHealthService } from './health/service';
import type { Infrastructure } from './infrastructure';
import { createModerationService } from './moderation/service';
import { createNotificationsService } from './notifications/service';
import { createOrganisationAdminService } from './organisation/admin-service';
import { createOrganisationService } from './organisation/service';
import { createRoundClosingService } from './rounds/close-service';
import { createRoundProgressService } from './rounds/progress-service';
import { createRemediationService } from './remediation/service';
import { createRetentionService } from './retention/service';
import { createReportingService } from './reporting/service';
import { createTargetsService } from './reporting/targets';
import { createPacksService } from './reporting/packs';
import { createRoundsService } from './rounds/service';
import { workingDayCalendar } from './working-days/calendar';
import { createTokensService } from './tokens/service';
import { createUsersService } from './users/service';
import { createSamlService } from './saml/service';
import { createSubjectAccessService } from './subject-access/service';
import { createWorkingDaysService } from './working-days/service';
import { createRestrictedCasesService } from './restricted-cases/service';

/**
 * The composition root of the features: every service is built here, once, from the infrastructure's
 * configuration, logger and database. Nothing here knows HTTP, so any process (the web server, the command
 * line, a job worker) builds the same services.
 */
export function createServices({
  config,
  logger,
  db,
  jobs,
  identityCache,
}: Pick<Infrastructure, 'config' | 'logger' | 'db' | 'jobs' | 'identityCache'>) {
  const activityLog = createActivityLog(db);
  const notifications = createNotificationsService(db, activityLog, jobs, { publicUrl: config.publicUrl });
  const users = createUsersService(db, activityLog);
  const frameworks = createFrameworksService(db, activityLog, logger);
  const cases = createCasesService(db, activityLog);
  const organisation = createOrganisationService(db);
  const reporting = createReportingService(db, frameworks);
  const escalations = createEscalationsService(db, activityLog, users, notifications.notify);
  const remediation = createRemediationService(
    db,
    activityLog,
    frameworks,
    workingDayCalendar,
    notifications.notify,
    config.remediationDirectorAfterDays,
  );
  return {
    activityLog,
    users,
    tokens: createTokensService(db, activityLog, identityCache),
    organisation,
    organisationAdmin: createOrganisationAdminService(db, activityLog),
    frameworks,
    cases,
    rounds: createRoundsService(db, activityLog, frameworks, cases, users),
    roundProgress: createRoundProgressService(db, activityLog, frameworks),
    roundClosing: createRoundClosingService(db, activityLog),
    audits: createAuditsService(db, activityLog, frameworks, escalations, remediation),
    escalations,
    auditOutcomes: createAuditOutcomesService(db, activityLog, frameworks),
    moderation: createModerationService(db, activityLog, frameworks, remediation),
    remediation,
    notifications,
    reporting,
    packs: createPacksService(db, activityLog, reporting, frameworks, notifications.notify),
    targets: createTargetsService(db, activityLog),
    exports: createExportsService(db, activityLog, frameworks, organisation),
    calibration: createCalibrationService(db, activityLog, frameworks, users),
    subjectAccess: createSubjectAccessService(db, activityLog),
    health: createHealthService(db, config.healthTimeoutMs, logger),
    idempotency: createIdempotencyService(db),
    workingDays: createWorkingDaysService(db, activityLog),
    restrictedCases: createRestrictedCasesService(db, activityLog, users),
    retention: createRetentionService(db, activityLog, frameworks, config.retention),
    /** Single sign-on, when configured (AUTH_MODE=saml). */
    saml: config.saml ? createSamlService(db, config.saml, users, activityLog) : undefined,
  };
}

export type Services = ReturnType<typeof createServices>;
