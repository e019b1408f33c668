import { Router } from 'express';
import { CASE_TYPE_LABELS } from '../cases/labels';
import { londonDate } from '../dates';
import { AppError } from '../errors';
import { mayUse } from '../auth/access';
import { currentUser, requireAccess } from '../http/authorise';
import { reportQueryOf, sendPack, sendPackPage } from './api-routes';
import type { PacksService } from './packs';
import { actorOf } from '../http/actor';
import { formValues, one } from '../http/form-values';
import { idParam } from '../http/params';
import type { ReportingService, ReportQuery } from './service';
import { addMonths, monthName, monthsBetween } from './months';
import { dashboardView } from './dashboard-view';

/** A filter the report refused, for the error summary; anything else is not the user's to fix. */
function refusalsOf(err: unknown): { field: string; message: string }[] {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  return err.fieldErrors.map((e) => ({ field: e.field, message: `${e.field}: ${e.message}` }));
}

/** The dashboard: the period's figures for the user's part of the service, filters that work without JavaScript. */
export function reportingRoutes(reporting: ReportingService, packs: PacksService): Router {
  const router = Router();

  router.get('/reports/packs', requireAccess('reports'), async (req, res) => {
    const thisMonth = londonDate().slice(0, 7);
    const months = monthsBetween(addMonths(thisMonth, -24), thisMonth).reverse();
    res.render('reports/packs', {
      title: 'Board packs',
      backLink: { href: '/reports', text: 'Reports' },
      packs: await packs.list(currentUser(req)),
      months: months.map((m, i) => ({
        value: m,
        text: monthName(m),
        selected: i === 1,
      })),
    });
  });

  router.post('/reports/packs', requireAccess('reports'), async (req, res) => {
    const made = await packs.make(currentUser(req), one(formValues(req.body), 'month'), actorOf(req));
    req.session.notice = { text: `The board pack is made (version ${made.version}).`, success: true };
    res.redirect(303, '/reports/packs');
  });

  router.get('/reports/packs/:id.pdf', requireAccess('reports'), async (req, res) => {
    sendPack(res, await packs.download(idParam(req), currentUser(req), actorOf(req)));
  });

  router.get('/reports/packs/:id.html', requireAccess('reports'), async (req, res) => {
    sendPackPage(res, await packs.page(idParam(req), currentUser(req), actorOf(req)));
  });

  router.get('/reports', requireAccess('reports'), async (req, res) => {
    const user = currentUser(req);
    const thisMonth = londonDate().slice(0, 7);
    const months = monthsBetween(addMonths(thisMonth, -36), thisMonth).reverse();
    const options = await reporting.filterOptions(user);
    let query: ReportQuery = {};
    let errorList: { field: string; message: string }[] = [];
    try {
      query = reportQueryOf(req);
    } catch (err) {
      errorList = refusalsOf(err);
    }
    let report;
    try {
      report = await reporting.report(user, query);
    } catch (err) {
      errorList = [...errorList, ...refusalsOf(err)];
      query = {};
      report = await reporting.report(user, query);
    }
    res.status(errorList.length > 0 ? 422 : 200).render('reports/index', {
      title: errorList.length > 0 ? 'Error: Reports' : 'Reports',
      errorList,
      showAgreement: mayUse(user.roles, 'agreement'),
      showExports: mayUse(user.roles, 'exports'),
      ...dashboardView(report, {
        options,
        months,
        caseTypes: Object.entries(CASE_TYPE_LABELS).map(([value, text]) => ({ value, text })),
        query,
      }),
    });
  });

  return router;
}
