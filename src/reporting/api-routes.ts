import { Router, type Request, type Response } from 'express';
import { BadRequestError } from '../errors';
import { CASE_TYPES } from '../frameworks/types';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { idParam, queryChoice, queryId, queryString } from '../http/params';
import type { PacksService } from './packs';
import type { PackSummary } from './pack-repository';
import type { ReportingService, ReportQuery } from './service';
import type { TargetsService } from './targets';
import { isPlainObject } from '../validation';
import { HTML_STYLE_SOURCE } from './pdf/html';

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

/**
 * A pack's HTML twin, as a page of its own: its one style sheet allowed by hash, nothing else (no script,
 * no other source), and never framed.
 */
export function sendPackPage(res: Response, { html }: { html: string }): void {
  res
    .type('html')
    .set(
      'Content-Security-Policy',
      `default-src 'none'; style-src ${HTML_STYLE_SOURCE}; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    )
    .send(html);
}

/** A pack's PDF, downloaded under its month and version, with its hash for checking. */
export function sendPack(res: Response, { pack, pdf }: { pack: PackSummary; pdf: Buffer }): void {
  res
    .type('application/pdf')
    .set(
      'Content-Disposition',
      `attachment; filename="case-audit-board-pack-${pack.month}-v${pack.version}.pdf"`,
    )
    .set('Digest', `sha-256=${Buffer.from(pack.sha256, 'hex').toString('base64')}`)
    .send(pdf);
}

/** The reports API: every figure of a report as JSON, and the council's targets. */
export function reportingApiRoutes(
  reporting: ReportingService,
  targets: TargetsService,
  packs: PacksService,
): Router {
  const router = Router();

  router.get('/packs', requireAccess('reports'), async (req, res) => {
    res.json({ packs: await packs.list(currentUser(req)) });
  });

  router.post('/packs', requireAccess('reports'), async (req, res) => {
    const body: unknown = req.body;
    const month = isPlainObject(body) ? body.month : undefined;
    const made = await packs.make(currentUser(req), month, actorOf(req));
    res.status(201).location(`/api/packs/${made.id}.pdf`).json(made);
  });

  router.get('/packs/:id.pdf', requireAccess('reports'), async (req, res) => {
    sendPack(res, await packs.download(idParam(req), currentUser(req), actorOf(req)));
  });

  router.get('/packs/:id.html', requireAccess('reports'), async (req, res) => {
    sendPackPage(res, await packs.page(idParam(req), currentUser(req), actorOf(req)));
  });

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
