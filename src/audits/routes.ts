import { Router } from 'express';
import { requireSignIn } from '../http/authorise';
import { checkPages } from './check-pages';
import { overallPages } from './overall-pages';
import { createAuditPages } from './pages';
import { readPages } from './read-pages';
import { safeguardingPages } from './safeguarding-pages';
import { sectionPages } from './section-pages';
import type { AuditsService } from './service';

/**
 * The auditor's pages: a task list, one page per section, the overall grade, check and submit, the
 * safeguarding concern and reopening. Plain forms that work without JavaScript; the script only saves as
 * you type and hides questions that do not apply.
 */
export function auditRoutes(audits: AuditsService): Router {
  const router = Router();
  router.use('/audits', requireSignIn);
  const pages = createAuditPages(audits);
  router.use(readPages(pages));
  router.use(sectionPages(pages));
  router.use(overallPages(pages));
  router.use(checkPages(pages));
  router.use(safeguardingPages(pages));
  return router;
}
