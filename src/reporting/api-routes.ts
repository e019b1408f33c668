import { Router, type Request } from 'express';
import { BadRequestError } from '../errors';
import { CASE_TYPES } from '../frameworks/types';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { queryChoice, queryId, queryString } from '../http/params';
import type { ReportingService, ReportQuery } from './service';
import type { TargetsService } from './targets';
import { isPlainObject } from '../validation';

/** The report's query from the address: the period and, optionally, part of the service. */
export function reportQueryOf(req: Request): ReportQuery {
  const query: ReportQuery = {};
  const from = queryString(req, 'from', 10);
  const to = queryString(req, 'to', 10);
  const teamId = queryId(req, 'team');
  const serviceAreaId = queryId(req, 'serviceArea');
  const localityId = queryId(req, 'locality');
  const caseType = queryChoice(req, 'caseType', CASE_TYPES);
  const frameworkId = queryString(req, 'framework', 100);
  const months = queryChoice(req, 'months', ['3', '12', '24'] as const);
  if (months !== undefined) query.trendMonths = Number(months) as 3 | 12 | 24;
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;
  if (teamId !== undefined) query.teamId = teamId;
  if (serviceAreaId !== undefined) query.serviceAreaId = serviceAreaId;
  if (localityId !== undefined) query.localityId = localityId;
  if (caseType !== undefined) query.caseType = caseType;
  if (frameworkId !== undefined) query.frameworkId = frameworkId;
  return query;
}

/** The reports API: every figure of a report as JSON, and the council's targets. */
export function reportingApiRoutes(reporting: ReportingService, targets: TargetsService): Router {
  const router = Router();

  router.get('/reports/summary', requireAccess('reports'), async (req, res) => {
    res.json(await reporting.report(currentUser(req), reportQueryOf(req)));
  });

  router.get('/report-targets', requireAccess('reports'), async (_req, res) => {
    res.json({ targets: await targets.list() });
  });

  router.put('/report-targets', requireAccess('admin'), async (req, res) => {
    const body: unknown = req.body;
    if (!isPlainObject(body))
      throw new BadRequestError(
        'Send the targets as a JSON object: {"good-or-better": 80, "inadequate": 5}.',
      );
    await targets.set(body, actorOf(req));
    res.json({ targets: await targets.list() });
  });

  return router;
}
