import { Router } from 'express';
import type { ActivityLog } from '../activity-log/service';
import { requireAccess } from '../http/authorise';
import type { OrganisationAdminService } from '../organisation/admin-service';
import type { UsersService } from '../users/service';
import { closureDayPages } from '../working-days/routes';
import { targetPages } from '../reporting/target-routes';
import type { TargetsService } from '../reporting/targets';
import type { WorkingDaysService } from '../working-days/service';
import { restrictedCasePages } from '../restricted-cases/routes';
import type { RestrictedCasesService } from '../restricted-cases/service';
import { activityLogPage } from './activity-log-page';
import { peoplePages } from './people-pages';
import { teamPages } from './team-pages';
import { userPages } from './user-pages';

export interface AdminServices {
  users: UsersService;
  activityLog: ActivityLog;
  organisationAdmin: OrganisationAdminService;
  workingDays: WorkingDaysService;
  targets: TargetsService;
  restrictedCases: RestrictedCasesService;
}

/**
 * The administration pages: users and roles, teams and staff, council closure days, restricted cases, and
 * the audit log.
 * Admins only.
 */
export function adminRoutes(services: AdminServices): Router {
  const router = Router();
  router.use('/admin', requireAccess('admin'));

  router.get('/admin', (_req, res) => {
    res.render('admin/index', { title: 'Administration' });
  });
  router.use(userPages(services));
  router.use(teamPages(services));
  router.use(peoplePages(services));
  router.use(closureDayPages(services.workingDays));
  router.use(restrictedCasePages(services.restrictedCases, services.users));
  router.use(targetPages(services.targets));
  router.use(activityLogPage(services));
  return router;
}
