import express, { Router, type Request } from 'express';
import { BadRequestError } from '../errors';
import { actorOf } from '../http/actor';
import { requireAccess } from '../http/authorise';
import { UPLOAD_LIMIT_MB } from '../http/error-handler';
import { acceptFile } from '../http/upload';
import type { VersionSummary } from './repository';
import { VARIANTS, type Variant } from './response-schema';
import type { FrameworksService } from './service';
import { CONTENT_TYPES, FORMATS, exportFramework, type FrameworkFormat } from './spreadsheet';

const summaryJson = (v: VersionSummary) => ({
  id: v.frameworkId,
  version: v.version,
  title: v.title,
  hash: v.hash,
  source: v.source,
  sourceName: v.sourceName,
  loadedAt: v.loadedAt,
});

const acceptSpreadsheets = express.raw({
  type: ['text/csv', CONTENT_TYPES.xlsx, 'application/octet-stream'],
  limit: `${UPLOAD_LIMIT_MB}mb`,
});

/** The uploaded framework, whatever way it came: a JSON body, a raw CSV or XLSX body, or a multipart file. */
function uploaded(req: Request): { data: Buffer; fileName: string } {
  if (req.file) return { data: req.file.buffer, fileName: req.file.originalname };
  const name = typeof req.query.filename === 'string' ? req.query.filename : '';
  if (Buffer.isBuffer(req.body) && req.body.length > 0) {
    const extension = req.is('text/csv') ? 'csv' : 'xlsx';
    return { data: req.body, fileName: name || `upload.${extension}` };
  }
  if (req.is('application/json') && req.body !== undefined) {
    return { data: Buffer.from(JSON.stringify(req.body)), fileName: name || 'upload.json' };
  }
  throw new BadRequestError(
    'Send the framework as JSON (application/json), CSV (text/csv), XLSX, or a multipart upload in the field "file".',
  );
}

/** The framework id and version named in the path. */
function versionOf(req: Request): [id: string, version: string] {
  const { id, version } = req.params as { id: string; version: string };
  return [id, version];
}

function variantOf(req: Request): Variant {
  const variant = req.query.variant ?? 'submit';
  if (!VARIANTS.includes(variant as Variant)) {
    throw new BadRequestError('variant must be draft or submit.', [
      { field: 'variant', message: 'must be draft or submit' },
    ]);
  }
  return variant as Variant;
}

export function frameworkApiRoutes(frameworks: FrameworksService): Router {
  const router = Router();

  router.get('/frameworks', requireAccess('frameworks'), async (_req, res) => {
    res.json({
      frameworks: (await frameworks.list()).map((f) => ({
        id: f.id,
        latest: summaryJson(f.latest),
        versions: f.versions.map(summaryJson),
      })),
    });
  });

  router.post('/frameworks', requireAccess('admin'), acceptSpreadsheets, acceptFile, async (req, res) => {
    const { data, fileName } = uploaded(req);
    const { outcome, version } = await frameworks.load(data, fileName, 'upload', actorOf(req));
    res
      .status(outcome === 'created' ? 201 : 200)
      .location(`/api/frameworks/${version.frameworkId}/versions/${version.version}`)
      .json({ outcome, framework: summaryJson(version) });
  });

  router.get('/frameworks/:id/versions/:version', requireAccess('frameworks'), async (req, res) => {
    const stored = await frameworks.get(...versionOf(req));
    res.json({ ...summaryJson(stored), framework: stored.framework });
  });

  router.get(
    '/frameworks/:id/versions/:version/response-schema',
    requireAccess('frameworks'),
    async (req, res) => {
      const variant = variantOf(req);
      const stored = await frameworks.get(...versionOf(req));
      const $id = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}?variant=${variant}`;
      res
        .type('application/schema+json')
        .send(JSON.stringify({ $id, ...frameworks.responseSchema(stored, variant) }));
    },
  );

  router.get('/frameworks/:id/versions/:version/export', requireAccess('frameworks'), async (req, res) => {
    const format = (req.query.format ?? 'json') as FrameworkFormat;
    if (!FORMATS.includes(format)) {
      throw new BadRequestError('format must be json, csv or xlsx.', [
        { field: 'format', message: 'must be json, csv or xlsx' },
      ]);
    }
    const stored = await frameworks.get(...versionOf(req));
    res
      .type(CONTENT_TYPES[format])
      .attachment(`${stored.frameworkId}-${stored.version}.${format}`)
      .send(await exportFramework(stored.framework, format));
  });

  return router;
}
