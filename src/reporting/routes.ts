import { Router, type Request } from 'express';
import { CASE_TYPE_LABELS } from '../cases/labels';
import { londonDate, longDate } from '../dates';
import { AppError } from '../errors';
import { mayUse } from '../auth/access';
import { currentUser, requireAccess } from '../http/authorise';
import { reportQueryOf, sendPack } from './api-routes';
import type { PacksService } from './packs';
import { actorOf } from '../http/actor';
import { formValues, one } from '../http/form-values';
import { idParam } from '../http/params';
import type { ReportingService, ReportQuery } from './service';
import { monthsBetween } from './trends';
import { dashboardView } from './dashboard-view';

/** The last day of a month (YYYY-MM). */
const lastDay = (month: string) => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
};

/** The page's months (YYYY-MM) as the report's dates; the API's own parameters otherwise. */
function pageQuery(req: Request): ReportQuery {
  const query = reportQueryOf(req);
  if (query.from && /^\d{4}-\d{2}$/.test(query.from)) query.from = `${query.from}-01`;
  if (query.to && /^\d{4}-\d{2}$/.test(query.to)) query.to = lastDay(query.to);
  return query;
}

/** The dashboard: the period's figures for the user's part of the service, filters that work without JavaScript. */
export function reportingRoutes(reporting: ReportingService, packs: PacksService): Router {
  const router = Router();

  router.get('/reports/packs', requireAccess('reports'), async (req, res) => {
    const thisMonth = londonDate().slice(0, 7);
    const months = monthsBetween(
      `${Number(thisMonth.slice(0, 4)) - 2}${thisMonth.slice(4)}`,
      thisMonth,
    ).reverse();
    res.render('reports/packs', {
      title: 'Board packs',
      backLink: { href: '/reports', text: 'Reports' },
      packs: await packs.list(currentUser(req)),
      months: months.map((m, i) => ({
        value: m,
        text: longDate(`${m}-01`).replace(/^1 /, ''),
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

  router.get('/reports', requireAccess('reports'), async (req, res) => {
    const user = currentUser(req);
    const thisMonth = londonDate().slice(0, 7);
    const months = monthsBetween(
      `${Number(thisMonth.slice(0, 4)) - 3}${thisMonth.slice(4)}`,
      thisMonth,
    ).reverse();
    const options = await reporting.filterOptions(user);
    let query: ReportQuery = {};
    let errorList: { field: string; message: string }[] = [];
    try {
      query = pageQuery(req);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      errorList = err.fieldErrors.map((e) => ({ field: e.field, message: `${e.field}: ${e.message}` }));
    }
    let report;
    try {
      report = await reporting.report(user, query);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      errorList = [
        ...errorList,
        ...err.fieldErrors.map((e) => ({ field: e.field, message: `${e.field}: ${e.message}` })),
      ];
      query = {};
      report = await reporting.report(user, query);
    }
    res.status(errorList.length > 0 ? 422 : 200).render('reports/index', {
      title: errorList.length > 0 ? 'Error: Reports' : 'Reports',
      errorList,
      showAgreement: mayUse(user.roles, 'agreement'),
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
