import { periodText } from '../frameworks/labels';
import type { Request, Response } from 'express';
import { AppError, StaleVersionError, ValidationError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser } from '../http/authorise';
import type { FieldErrors } from '../http/form-fields';
import { formValues, one } from '../http/form-values';
import { idParam, plainInt, queryChoice } from '../http/params';
import { formErrorsFor } from './form';
import type { AuditResponse } from './response';
import { AuditSubmittedError, type AuditDetail, type AuditsService } from './service';
import { submittedNotice } from './views';

/** A request from the page's script (saving as you type), answered in JSON rather than with a page. */
export const wantsJson = (req: Request) => req.get('accept')?.includes('application/json') === true;

/** What every audit page shows of the audit, and the version its forms are based on. */
export function common(detail: AuditDetail) {
  return {
    audit: detail.audit,
    base: `/audits/${detail.audit.id}`,
    frameworkTitle: detail.framework.title,
    /** The look-back period and effective date, when the framework gives them. */
    period: periodText(detail.framework.framework),
    version: detail.audit.version,
  };
}

/** The page was opened from the check page's list of what is missing (`?from=check`). */
export const fromCheck = (req: Request) => queryChoice(req, 'from', ['check']) === 'check';

export const backFrom = (detail: AuditDetail, check: boolean) =>
  check
    ? { href: `/audits/${detail.audit.id}/check`, text: 'Back to check your audit' }
    : { href: `/audits/${detail.audit.id}`, text: 'Back to the audit' };

/** The version the form was based on: a missing or stale one is refused by the service. */
export function versionFrom(req: Request): number | undefined {
  return plainInt(one(formValues(req.body), 'version'), 0, Number.MAX_SAFE_INTEGER);
}

/** The user's own audit, submitted: they may reopen it, and a draft form posted to it saves nothing. */
export const submittedByThem = (detail: AuditDetail) =>
  detail.access.edit && detail.audit.status === 'submitted';

/** A page of answers that is saved as the draft: how it is shown again when the service refuses them. */
export interface AnswersPage {
  /** The page in the service's error pointers: a section's id, or `overall`. */
  id: string;
  /** What the page says when the audit was saved somewhere else after the page was opened. */
  staleNotice: string;
  render(
    res: Response,
    detail: AuditDetail,
    response: AuditResponse,
    errors: FieldErrors,
    stale?: string,
  ): void;
}

export type AuditPages = ReturnType<typeof createAuditPages>;

/** What the audit's pages share: reading the audit for the request, and answering a refused change. */
export function createAuditPages(audits: AuditsService) {
  // A page shown is a view, logged once; a form posted is logged as the change it makes.
  const view = (req: Request) => audits.get(idParam(req), currentUser(req), actorOf(req));
  const load = (req: Request) => audits.load(idParam(req), currentUser(req));

  /**
   * A form posted to an audit that has been submitted since the page was opened (Back, then save or
   * submit again): nothing is saved, and the user is taken to the submitted audit and told why.
   */
  async function alreadySubmitted(req: Request, res: Response, known?: AuditDetail) {
    const detail = known?.audit.status === 'submitted' ? known : await load(req);
    const text = submittedNotice(detail);
    if (wantsJson(req)) return res.status(409).json({ title: 'Already submitted', detail: text });
    req.session.notice = { text };
    res.redirect(303, `/audits/${detail.audit.id}`);
  }

  /**
   * Saves a page's answers as the draft, from the version its form was based on, then takes the user to
   * `next` (the page's script gets the new version). A refusal the page can show is shown: an audit
   * submitted meanwhile, one saved somewhere else (the page again with the latest answers and a notice),
   * or answers refused (the page again with the answers given and the errors beside them).
   */
  async function saveAnswers(
    req: Request,
    res: Response,
    detail: AuditDetail,
    response: AuditResponse,
    page: AnswersPage,
    next: string,
  ) {
    try {
      const saved = await audits.saveDraft(
        detail.audit.id,
        { version: versionFrom(req), response },
        currentUser(req),
        actorOf(req),
      );
      if (wantsJson(req)) return res.json({ version: saved.version });
      res.redirect(next);
    } catch (err) {
      if (err instanceof AuditSubmittedError) return alreadySubmitted(req, res);
      if (wantsJson(req) || !(err instanceof AppError)) throw err;
      if (err instanceof StaleVersionError) {
        const fresh = await load(req);
        return page.render(res, fresh, fresh.response, {}, page.staleNotice);
      }
      const errors =
        err instanceof ValidationError
          ? formErrorsFor(page.id, err.fieldErrors, detail.framework.framework)
          : {};
      // A refusal about nothing on this page (the audit was submitted, say) is an error page of its own.
      if (Object.keys(errors).length === 0) throw err;
      page.render(res, detail, response, errors);
    }
  }

  return { audits, view, load, alreadySubmitted, saveAnswers };
}
