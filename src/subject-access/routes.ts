import { Router, type Request, type Response } from 'express';
import { formView } from '../admin/fields';
import { AppError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import type { FieldErrors } from '../http/form-fields';
import { caseTitle } from '../http/page-title';
import { summaryView, zipName, zipOf } from './files';
import { KINDS, type Counts, type SubjectAccessService } from './service';

const PAGE = '/admin/subject-access';

/** Where a child's ZIP is downloaded from: the page's address, or the API's. */
export const zipPath = (base: string, caseRef: string) => `${base}/${encodeURIComponent(caseRef)}.zip`;

/** The counts by kind, with what each file holds. */
export const countsView = (counts: Counts) =>
  KINDS.map((kind) => ({ file: kind.file, title: kind.title, holds: kind.holds, count: counts[kind.key] }));

/** Renders a page template to text (the summary file), outside any response. */
function renderToText(req: Request, view: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) =>
    req.app.render(view, locals, (err: Error | null, html?: string) =>
      err ? reject(err) : resolve(html ?? ''),
    ),
  );
}

/**
 * Sends everything held about the child named by the address's case reference as a ZIP (logged as it is
 * read); an unusable or unknown reference is a 400 or 404.
 */
export async function sendSubjectAccessZip(
  req: Request,
  res: Response,
  service: SubjectAccessService,
): Promise<void> {
  const exported = await service.export(req.params.caseRef, actorOf(req));
  const html = await renderToText(
    req,
    'admin/subject-access/summary-file',
    summaryView(exported, currentUser(req).displayName),
  );
  res
    .type('application/zip')
    .attachment(zipName(exported))
    .set('Cache-Control', 'no-store')
    .send(zipOf(exported, html));
}

/**
 * The subject access page (admins only): a GET form for a case reference (it changes nothing, so it needs
 * no CSRF token), answered with how many records of each kind the export holds and a link to download it.
 */
export function subjectAccessRoutes(service: SubjectAccessService): Router {
  const router = Router();

  router.get(`${PAGE}/:caseRef.zip`, requireAccess('admin'), async (req, res) => {
    await sendSubjectAccessZip(req, res, service);
  });

  router.get(PAGE, requireAccess('admin'), async (req, res) => {
    const asked = 'caseRef' in req.query;
    let errors: FieldErrors = {};
    let found: { caseRef: string; counts: Counts } | undefined;
    let status = 200;
    if (asked) {
      try {
        found = await service.summary(req.query.caseRef, actorOf(req));
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        status = err.status;
        errors = { caseRef: err.fieldErrors[0]?.message ?? err.message };
      }
    }
    const typed = typeof req.query.caseRef === 'string' ? req.query.caseRef : '';
    res.status(status).render('admin/subject-access/index', {
      title: found ? caseTitle('Subject access request', found.caseRef) : 'Subject access request',
      backLink: { href: '/admin', text: 'Administration' },
      ...formView(
        [
          {
            kind: 'input',
            name: 'caseRef',
            label: 'Case reference',
            hint: 'The child’s reference as the council’s case lists have it (the child’s unique id), for example DS100265.',
            value: typed,
            width: 20,
          },
        ],
        errors,
      ),
      ...(found
        ? {
            found: {
              caseRef: found.caseRef,
              kinds: countsView(found.counts),
              zipHref: zipPath(PAGE, found.caseRef),
            },
          }
        : {}),
    });
  });

  return router;
}
