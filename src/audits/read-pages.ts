import { Router } from 'express';
import { ValidationError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser } from '../http/authorise';
import { formValues, one } from '../http/form-values';
import { finalAction } from '../idempotency';
import { common, submittedByThem, versionFrom, type AuditPages } from './pages';
import type { AuditDetail } from './service';
import { moderationView, profileRows, responseSummary, revisionRows, taskList } from './views';

const MY_AUDITS = { href: '/my-audits', text: 'My audits' };

/** The auditor's task list for an audit they may still change. */
function taskListView(detail: AuditDetail) {
  return {
    title: `Audit of case ${detail.audit.profile.caseRef}`,
    backLink: MY_AUDITS,
    ...common(detail),
    profile: profileRows(detail.audit),
    tasks: taskList(detail),
    concerns: detail.concerns,
  };
}

/**
 * An audit to read (submitted, cancelled, or someone else's): its case, revisions, response and concerns,
 * its moderation for admins, and the form to reopen it for its own auditor once submitted.
 */
export function readView(detail: AuditDetail) {
  return {
    title: `Audit of case ${detail.audit.profile.caseRef}`,
    backLink: detail.access.edit ? MY_AUDITS : undefined,
    ...common(detail),
    profile: profileRows(detail.audit),
    summary: responseSummary(detail.framework.framework, detail.response),
    revisions: revisionRows(detail.revisions),
    concerns: detail.concerns,
    moderation: moderationView(detail),
    mayReopen: submittedByThem(detail),
  };
}

/** The audit's own page: the task list while the auditor may change it, else the audit to read; reopening. */
export function readPages({ audits, view, load }: AuditPages): Router {
  const router = Router();

  router.get('/audits/:id', async (req, res) => {
    const detail = await view(req);
    if (detail.editable) res.render('audits/task-list', taskListView(detail));
    else res.render('audits/read', readView(detail));
  });

  router.post('/audits/:id/reopen', finalAction, async (req, res) => {
    const detail = await load(req);
    const reason = one(formValues(req.body), 'reason');
    try {
      await audits.reopen(
        detail.audit.id,
        { version: versionFrom(req), reason },
        currentUser(req),
        actorOf(req),
      );
      req.session.notice = {
        text: 'The audit is open again for correction as a new revision. The submitted revision is kept.',
        success: true,
      };
      res.redirect(`/audits/${detail.audit.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const message = err.fieldErrors[0]?.message ?? err.message;
      // No longer submitted (reopened from another tab, say): there is no form to correct, so the audit's
      // own page says why nothing changed.
      if (!submittedByThem(detail)) {
        req.session.notice = { text: message };
        res.redirect(303, `/audits/${detail.audit.id}`);
        return;
      }
      res.status(422).render('audits/read', {
        ...readView(detail),
        reason,
        reasonError: message,
        errorList: [{ field: 'reason', message }],
      });
    }
  });

  return router;
}
