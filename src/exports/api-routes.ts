import { Router, type Request, type Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { queryId, queryString } from '../http/params';
import { csvChunks, writeXlsx } from './files';
import {
  EXPORT_FORMATS,
  type Download,
  type ExportFormat,
  type ExportQuery,
  type ExportsService,
} from './service';

/** The export's filters from the address: framework, from, to, team. Malformed values are a 400. */
export function exportQueryOf(req: Request): ExportQuery {
  const query: ExportQuery = {};
  const frameworkId = queryString(req, 'framework', 100);
  const from = queryString(req, 'from', 10);
  const to = queryString(req, 'to', 10);
  const teamId = queryId(req, 'team');
  if (frameworkId !== undefined) query.frameworkId = frameworkId;
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;
  if (teamId !== undefined) query.teamId = teamId;
  return query;
}

const TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Sends the export as a file, streamed; a reader who goes away part way through is not an error. */
export async function sendExport(res: Response, download: Download): Promise<void> {
  res.type(TYPES[download.format]).attachment(download.filename).set('Cache-Control', 'no-store');
  if (download.format === 'xlsx') return writeXlsx(download, res);
  try {
    await pipeline(Readable.from(csvChunks(download)), res);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
  }
}

/** The export API: `GET /api/exports/audit-results.csv` and `.xlsx`. */
export function exportApiRoutes(service: ExportsService): Router {
  const router = Router();

  router.get('/exports/audit-results.:format', requireAccess('exports'), async (req, res) => {
    const format = EXPORT_FORMATS.find((f) => f === req.params.format);
    if (!format) throw new NotFoundError('Exports are .csv or .xlsx files.');
    await sendExport(res, await service.download(currentUser(req), exportQueryOf(req), format, actorOf(req)));
  });

  return router;
}
