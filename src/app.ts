import express, { type Express } from 'express';
import { adminApiRoutes } from './admin/api-routes';
import { adminRoutes } from './admin/routes';
import { apiIdentityRoutes } from './auth/api-routes';
import { authRoutes } from './auth/routes';
import { samlRoutes } from './saml/routes';
import { healthRoutes } from './health/routes';
import { homeRoutes } from './home/routes';
import { setUpAuthentication } from './http/authentication';
import { requireSignIn } from './http/authorise';
import { setUpCsrf } from './http/csrf';
import { setUpIdempotency } from './idempotency/middleware';
import { errorHandler, notFound } from './http/error-handler';
import { setUpRequestLogging } from './http/request-logging';
import { setUpBodyParsers, setUpSecurityHeaders } from './http/security';
import { setUpSession } from './http/session';
import { setUpStaticAssets } from './http/static-assets';
import { setUpViewLocals } from './http/view-locals';
import { setUpViewEngine } from './http/view-engine';
import { caseApiRoutes } from './cases/api-routes';
import { caseRoutes } from './cases/routes';
import { roundApiRoutes } from './rounds/api-routes';
import { myAuditsApiRoutes } from './my-audits/api-routes';
import { myAuditsRoutes } from './my-audits/routes';
import { auditApiRoutes } from './audits/api-routes';
import { auditRoutes } from './audits/routes';
import { moderationApiRoutes } from './moderation/api-routes';
import { moderationRoutes } from './moderation/routes';
import { calibrationApiRoutes } from './calibration/api-routes';
import { calibrationRoutes } from './calibration/routes';
import { escalationApiRoutes } from './escalations/api-routes';
import { remediationApiRoutes } from './remediation/api-routes';
import { reportingApiRoutes } from './reporting/api-routes';
import { reportingRoutes } from './reporting/routes';
import { exportApiRoutes } from './exports/api-routes';
import { exportRoutes } from './exports/routes';
import { remediationRoutes } from './remediation/routes';
import { retentionApiRoutes } from './retention/api-routes';
import { retentionPages } from './retention/routes';
import { notificationRoutes } from './notifications/routes';
import { escalationRoutes } from './escalations/routes';
import { roundJourneyRoutes } from './rounds/journey/routes';
import { roundRoutes } from './rounds/routes';
import { roundCloseRoutes } from './rounds/close-routes';
import { roundModerationRoutes } from './rounds/moderation-routes';
import { frameworkApiRoutes } from './frameworks/api-routes';
import { frameworkRoutes } from './frameworks/routes';
import { teamRoutes } from './organisation/routes';
import { publicPageRoutes } from './pages/routes';
import { subjectAccessApiRoutes } from './subject-access/api-routes';
import { subjectAccessRoutes } from './subject-access/routes';
import type { Infrastructure } from './infrastructure';
import type { Services } from './services';

/**
 * Builds the web application on the infrastructure (templates, sessions, configuration) and the services.
 * Pure: it listens on nothing and starts no timers.
 */
export function createApp(infrastructure: Infrastructure, services: Services): Express {
  const { config, info } = infrastructure;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  setUpViewEngine(app, infrastructure.templates);

  app.use(setUpRequestLogging(infrastructure.logger));
  app.use(setUpSecurityHeaders(config));
  app.use(setUpStaticAssets(config));
  app.use(healthRoutes(services.health, info));
  app.use(setUpBodyParsers(config));
  app.use(setUpSession(config, infrastructure.sessionStore));
  app.use(
    setUpAuthentication(
      config,
      services.users,
      services.tokens,
      infrastructure.rateLimits.tokens,
      infrastructure.identityCache,
    ),
  );
  app.use(setUpCsrf());
  app.use(setUpIdempotency(infrastructure.db.executor));
  app.use(setUpViewLocals(info.version));

  app.use(publicPageRoutes());
  app.use(infrastructure.rateLimits.signIn);
  app.use(authRoutes(config, services.users, services.saml));
  if (services.saml) app.use(samlRoutes(services.saml));
  app.use('/api', apiIdentityRoutes());
  app.use('/api', frameworkApiRoutes(services.frameworks));
  app.use('/api', caseApiRoutes(services.cases, config));
  app.use('/api', roundApiRoutes(services.rounds, services.roundClosing));
  app.use('/api', myAuditsApiRoutes(services.rounds));
  app.use('/api', auditApiRoutes(services.audits));
  app.use('/api', moderationApiRoutes(services.moderation));
  app.use('/api', calibrationApiRoutes(services.calibration));
  app.use('/api', escalationApiRoutes(services.escalations));
  app.use('/api', remediationApiRoutes(services.remediation));
  app.use('/api', reportingApiRoutes(services.reporting, services.targets, services.packs));
  app.use('/api', exportApiRoutes(services.exports));
  app.use('/api', adminApiRoutes(services));
  app.use('/api', subjectAccessApiRoutes(services.subjectAccess));
  app.use('/api', retentionApiRoutes(services.retention));

  app.use(requireSignIn);
  app.use(homeRoutes(services));
  app.use(teamRoutes(services));
  app.use(frameworkRoutes(services.frameworks));
  app.use(caseRoutes(services.cases, services.organisation, config, services.auditOutcomes));
  app.use(myAuditsRoutes(services.rounds));
  app.use(roundJourneyRoutes(services));
  app.use(roundRoutes(services));
  app.use(roundCloseRoutes(services.roundClosing));
  app.use(roundModerationRoutes(services.rounds));
  app.use(auditRoutes(services.audits));
  app.use(moderationRoutes(services.moderation));
  app.use(calibrationRoutes(services));
  app.use(escalationRoutes(services.escalations));
  app.use(remediationRoutes(services.remediation));
  app.use(notificationRoutes(services.notifications, config.mail.transport));
  app.use(adminRoutes(services));
  app.use(subjectAccessRoutes(services.subjectAccess));
  app.use(retentionPages(services.retention));
  app.use(reportingRoutes(services.reporting, services.packs));
  app.use(exportRoutes(services.exports));

  app.use(notFound);
  app.use(errorHandler(config));
  return app;
}
