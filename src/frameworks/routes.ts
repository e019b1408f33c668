import { Router, type Request, type Response } from 'express';
import { mayUse } from '../auth/access';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { acceptFile } from '../http/upload';
import { previewOf } from './preview';
import type { FrameworksService } from './service';
import { CONTENT_TYPES, FORMATS, exportFramework, type FrameworkFormat } from './spreadsheet';

const UPLOAD_TITLE = 'Upload a framework';

function renderUpload(
  req: Request,
  res: Response,
  status: number,
  error?: ValidationError | ConflictError | string,
): void {
  const problems =
    error instanceof ValidationError || error instanceof ConflictError ? error.fieldErrors : [];
  const summary =
    typeof error === 'string'
      ? error
      : error instanceof ValidationError
        ? `${error.message} Nothing was loaded: correct the file and upload it again.`
        : error?.message;
  res.status(status).render('frameworks/upload', {
    title: UPLOAD_TITLE,
    backLink: { href: '/frameworks', text: 'Frameworks' },
    fileName: req.file?.originalname,
    errorList: summary ? [{ field: 'file', message: summary }] : undefined,
    errors: summary ? { file: summary } : undefined,
    problems: error instanceof ValidationError ? problems : [],
  });
}

export function frameworkRoutes(frameworks: FrameworksService): Router {
  const router = Router();
  router.use('/frameworks', requireAccess('frameworks'));

  router.get('/frameworks', async (req, res) => {
    const isAdmin = mayUse(currentUser(req).roles, 'admin');
    res.render('frameworks/index', {
      title: 'Frameworks',
      frameworks: await frameworks.list(),
      isAdmin,
      startupProblems: isAdmin ? frameworks.startupProblems() : [],
    });
  });

  router.get('/frameworks/upload', requireAccess('admin'), (req, res) => {
    renderUpload(req, res, 200);
  });

  router.post('/frameworks/upload', requireAccess('admin'), acceptFile, async (req, res) => {
    if (!req.file || req.file.size === 0)
      return renderUpload(req, res, 422, 'Select a framework file (.json, .csv or .xlsx)');
    try {
      const { outcome, version } = await frameworks.load(
        req.file.buffer,
        req.file.originalname,
        'upload',
        actorOf(req),
      );
      req.session.notice =
        outcome === 'created'
          ? { text: `${version.title} version ${version.version} is loaded.`, success: true }
          : {
              text: `${version.title} version ${version.version} was already loaded with the same content: nothing changed.`,
            };
      res.redirect(`/frameworks/${version.frameworkId}/versions/${version.version}`);
    } catch (err) {
      if (err instanceof ValidationError) return renderUpload(req, res, 422, err);
      if (err instanceof ConflictError) return renderUpload(req, res, 409, err);
      throw err;
    }
  });

  router.get('/frameworks/:id', async (req, res) => {
    const summary = (await frameworks.list()).find((f) => f.id === req.params.id);
    if (!summary) throw new NotFoundError('There is no framework at this address.');
    res.render('frameworks/show', {
      title: summary.latest.title,
      framework: summary,
      backLink: { href: '/frameworks', text: 'Frameworks' },
    });
  });

  router.get('/frameworks/:id/versions/:version', async (req, res) => {
    const stored = await frameworks.get(req.params.id, req.params.version);
    res.render('frameworks/version', {
      title: `${stored.framework.title} ${stored.version}`,
      stored,
      framework: stored.framework,
      preview: previewOf(stored.framework),
      formats: FORMATS,
      backLink: { href: `/frameworks/${stored.frameworkId}`, text: 'All versions' },
    });
  });

  router.get('/frameworks/:id/versions/:version/download.:format', async (req, res) => {
    const format = req.params.format as FrameworkFormat;
    if (!FORMATS.includes(format)) throw new NotFoundError();
    const stored = await frameworks.get(req.params.id, req.params.version);
    res
      .type(CONTENT_TYPES[format])
      .attachment(`${stored.frameworkId}-${stored.version}.${format}`)
      .send(await exportFramework(stored.framework, format));
  });

  return router;
}
