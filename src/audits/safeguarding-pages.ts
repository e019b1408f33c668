import { Router } from 'express';
import { ValidationError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser } from '../http/authorise';
import { errorListFor, fieldView, type Field, type FieldErrors } from '../http/form-fields';
import { formValues, one } from '../http/form-values';
import { caseTitle } from '../http/page-title';
import { common, type AuditPages } from './pages';
import type { AuditDetail } from './service';

function safeguardingView(detail: AuditDetail, errors: FieldErrors, value = '') {
  const field: Field = {
    kind: 'textarea',
    name: 'details',
    label: 'What is the concern, and what have you done so far?',
    labelSize: 'm',
    hint: 'Say who you have spoken to and when. This goes at once to the team manager and head of service.',
    value,
    rows: 8,
  };
  return {
    title: caseTitle('Raise an immediate safeguarding concern', detail.audit.profile.caseRef),
    backLink: { href: `/audits/${detail.audit.id}`, text: 'Back to the audit' },
    ...common(detail),
    guidance: detail.framework.framework.safeguardingConcern?.guidance,
    field: fieldView(field, errors),
    errorList: errorListFor([field], errors),
    mayRaise: detail.access.edit,
    concerns: detail.concerns,
  };
}

/** The immediate safeguarding concern: raised from the audit, escalated at once to the case's managers. */
export function safeguardingPages({ audits, view, load }: AuditPages): Router {
  const router = Router();

  router.get('/audits/:id/safeguarding', async (req, res) => {
    const detail = await view(req);
    res.render('audits/safeguarding', safeguardingView(detail, {}));
  });

  router.post('/audits/:id/safeguarding', async (req, res) => {
    const detail = await load(req);
    const details = one(formValues(req.body), 'details');
    try {
      const outcome = await audits.raiseConcern(detail.audit.id, details, currentUser(req), actorOf(req));
      // A concern that reached nobody in one of its roles is never shown as a success.
      req.session.notice = { text: outcome.message, success: outcome.unrouted.length === 0 };
      res.redirect(`/audits/${detail.audit.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const message = err.fieldErrors[0]?.message ?? err.message;
      res.status(422).render('audits/safeguarding', safeguardingView(detail, { details: message }, details));
    }
  });

  return router;
}
