import { Router, type Response } from 'express';
import { StaleVersionError, ValidationError, type FieldError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser } from '../http/authorise';
import { caseTitle } from '../http/page-title';
import { finalAction } from '../idempotency';
import { common, versionFrom, type AuditPages } from './pages';
import { auditProblems, differenceErrors } from './problems';
import { AuditSubmittedError, type AuditDetail } from './service';
import { errorLinks, responseSummary } from './views';

function renderCheck(res: Response, detail: AuditDetail, errors: readonly FieldError[] = []) {
  const base = `/audits/${detail.audit.id}`;
  const { framework } = detail.framework;
  const problems =
    errors.length > 0 ? auditProblems(framework, detail.response, errors, detail.audit.profile) : [];
  res.status(errors.length > 0 ? 422 : 200).render('audits/check', {
    title: caseTitle('Check your audit before submitting it', detail.audit.profile.caseRef),
    backLink: { href: base, text: 'Back to the audit' },
    ...common(detail),
    summary: responseSummary(framework, detail.response, { base, problems }),
    errorList: errorLinks(base, problems, errors),
    concerns: detail.concerns,
  });
}

/** Check your audit, and submit it: what is not complete is listed, linked to its page. */
export function checkPages({ audits, view, load, alreadySubmitted }: AuditPages): Router {
  const router = Router();

  router.get('/audits/:id/check', async (req, res) => {
    const detail = await view(req);
    if (!detail.editable) return res.redirect(`/audits/${detail.audit.id}`);
    renderCheck(res, detail);
  });

  router.post('/audits/:id/submit', finalAction, async (req, res) => {
    const detail = await load(req);
    // Answers that differ from the case list must be confirmed on their page before the audit goes.
    const differences = differenceErrors(detail.framework.framework, detail.response, detail.audit.profile);
    if (differences.length > 0 && detail.audit.status !== 'submitted')
      return renderCheck(res, detail, differences);
    try {
      const result = await audits.submit(
        detail.audit.id,
        { version: versionFrom(req) },
        currentUser(req),
        actorOf(req),
      );
      req.session.notice = {
        text: `Audit of case ${detail.audit.profile.caseRef} submitted${result.moderation ? ': it has been selected for moderation' : ''}.`,
        success: true,
      };
      res.redirect(`/audits/${detail.audit.id}`);
    } catch (err) {
      // A submission repeated with the form's key gets the first one's result from audits.submit; this
      // is the form of an earlier rendering, or of another tab.
      if (err instanceof AuditSubmittedError) return alreadySubmitted(req, res);
      if (err instanceof StaleVersionError)
        return renderCheck(res, await load(req), [
          {
            field: '/',
            message: 'The audit changed after you opened this page. Check it again, then submit.',
          },
        ]);
      if (err instanceof ValidationError && err.fieldErrors.length > 0)
        return renderCheck(res, detail, err.fieldErrors);
      throw err;
    }
  });

  return router;
}
