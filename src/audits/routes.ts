import { Router, type Request, type Response } from 'express';
import { AppError, NotFoundError, StaleVersionError, ValidationError, type FieldError } from '../errors';
import { overallConstraint, scaleById } from '../frameworks/overall-grade';
import { fieldView, errorListFor, type Field, type FieldErrors } from '../http/form-fields';
import { formValues, one } from '../http/form-values';
import { caseTitle } from '../http/page-title';
import { actorOf } from '../http/actor';
import { currentUser, requireSignIn } from '../http/authorise';
import { idParam, plainInt, queryChoice } from '../http/params';
import { finalAction } from '../idempotency';
import {
  differencesFromForm,
  formErrorsFor,
  judgementFields,
  sectionFromForm,
  sectionQuestions,
} from './form';
import { sectionGrades, type AuditResponse } from './response';
import { AuditSubmittedError, type AuditDetail, type AuditsService } from './service';
import { auditProblems, differenceErrors, overallProblems, problemErrors, sectionProblems } from './problems';
import {
  errorLinks,
  moderationView,
  profileRows,
  revisionRows,
  responseSummary,
  submittedNotice,
  taskList,
} from './views';

const wantsJson = (req: Request) => req.get('accept')?.includes('application/json') === true;

function sectionOf(detail: AuditDetail, sectionId: string) {
  const section = detail.framework.framework.sections.find((s) => s.id === sectionId);
  if (!section) throw new NotFoundError();
  return section;
}

/** The page after a section: the next section, or the overall grade after the last. */
function nextPage(detail: AuditDetail, sectionId: string): string {
  const sections = detail.framework.framework.sections;
  const next = sections[sections.findIndex((s) => s.id === sectionId) + 1];
  return next ? `/audits/${detail.audit.id}/sections/${next.id}` : `/audits/${detail.audit.id}/overall`;
}

function common(detail: AuditDetail) {
  return {
    audit: detail.audit,
    base: `/audits/${detail.audit.id}`,
    frameworkTitle: detail.framework.title,
    version: detail.audit.version,
  };
}

/** The page was opened from the check page's list of what is missing (`?from=check`). */
const fromCheck = (req: Request) => queryChoice(req, 'from', ['check']) === 'check';

const backFrom = (detail: AuditDetail, check: boolean) =>
  check
    ? { href: `/audits/${detail.audit.id}/check`, text: 'Back to check your audit' }
    : { href: `/audits/${detail.audit.id}`, text: 'Back to the audit' };

/** The version the form was based on: a missing or stale one is refused by the service. */
function versionFrom(req: Request): number | undefined {
  return plainInt(one(formValues(req.body), 'version'), 0, Number.MAX_SAFE_INTEGER);
}

/**
 * The auditor's pages: a task list, one page per section, the overall grade, check and submit, the
 * safeguarding concern and reopening. Plain forms that work without JavaScript; the script only saves as
 * you type and hides questions that do not apply.
 */
export function auditRoutes(audits: AuditsService): Router {
  const router = Router();
  router.use('/audits', requireSignIn);

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
  const wasSubmitted = (detail: AuditDetail) => detail.access.edit && detail.audit.status === 'submitted';

  router.get('/audits/:id', async (req, res) => {
    const detail = await view(req);
    const editing = detail.access.edit && detail.audit.status !== 'submitted';
    res.render(editing ? 'audits/task-list' : 'audits/read', {
      title: `Audit of case ${detail.audit.profile.caseRef}`,
      backLink: detail.access.edit ? { href: '/my-audits', text: 'My audits' } : undefined,
      ...common(detail),
      profile: profileRows(detail.audit),
      tasks: taskList(detail),
      summary: responseSummary(detail.framework.framework, detail.response),
      revisions: revisionRows(detail.revisions),
      concerns: detail.concerns,
      moderation: moderationView(detail),
      mayReopen: detail.access.edit && detail.audit.status === 'submitted',
    });
  });

  function renderSection(
    res: Response,
    detail: AuditDetail,
    sectionId: string,
    response: AuditResponse,
    errors: FieldErrors = {},
    notice?: string,
    fromCheck = false,
  ) {
    const { framework } = detail.framework;
    const section = sectionOf(detail, sectionId);
    const judgement = section.graded
      ? judgementFields(framework, section, response.sections?.[section.id])
      : [];
    const questions = sectionQuestions(framework, section, response, detail.audit.profile);
    const all: Field[] = questions
      .flatMap((q) => [q.field, ...(q.difference ? [q.difference.field] : [])])
      .concat(judgement);
    res.status(Object.keys(errors).length > 0 && !fromCheck ? 422 : 200).render('audits/section', {
      title: caseTitle(section.title, detail.audit.profile.caseRef),
      backLink: backFrom(detail, fromCheck),
      ...common(detail),
      section,
      kindLabel:
        section.kind === 'practitioner-conversation'
          ? 'Practitioner conversation'
          : section.kind === 'family-feedback'
            ? 'Child and family feedback'
            : undefined,
      questions: questions.map((q) => ({
        ...q,
        field: fieldView(q.field, errors),
        difference: q.difference && { ...q.difference, field: fieldView(q.difference.field, errors) },
      })),
      judgement: judgement.map((f) => fieldView(f, errors)),
      errorList: errorListFor(all, errors),
      stale: notice,
      nextHref: nextPage(detail, sectionId),
    });
  }

  router.get('/audits/:id/sections/:sectionId', async (req, res) => {
    const detail = await view(req);
    if (!detail.access.edit || detail.audit.status === 'submitted')
      return res.redirect(`/audits/${detail.audit.id}`);
    const sectionId = String(req.params.sectionId);
    // Arriving from the check page's error summary: what is missing here is shown here too.
    const missing = fromCheck(req)
      ? problemErrors(
          sectionProblems(
            detail.framework.framework,
            sectionOf(detail, sectionId),
            detail.response,
            detail.audit.profile,
          ),
        )
      : {};
    renderSection(res, detail, sectionId, detail.response, missing, undefined, fromCheck(req));
  });

  router.post('/audits/:id/sections/:sectionId', async (req, res) => {
    const detail = await load(req);
    if (wasSubmitted(detail)) return alreadySubmitted(req, res, detail);
    const sectionId = String(req.params.sectionId);
    const section = sectionOf(detail, sectionId);
    const values = formValues(req.body);
    const { section: given, errors: unreadable } = sectionFromForm(section, values);
    const { framework } = detail.framework;
    const sections = { ...detail.response.sections, [sectionId]: given };
    // An answer that differs from the case list is kept with its confirmation; one not yet confirmed
    // stops "Save" (the page asks for it) but not the page's saving as you type, which keeps the draft.
    const { confirmed, errors: unconfirmed } = differencesFromForm(
      framework,
      section,
      { ...detail.response, sections },
      detail.audit.profile,
      values,
    );
    if (Object.keys(confirmed).length > 0) given.differences = confirmed;
    const response: AuditResponse = { ...detail.response, sections };
    const errors = wantsJson(req) ? unreadable : { ...unreadable, ...unconfirmed };
    if (Object.keys(errors).length > 0) {
      if (wantsJson(req)) return res.status(422).json({ errors });
      return renderSection(res, detail, sectionId, response, errors);
    }
    try {
      const saved = await audits.saveDraft(
        detail.audit.id,
        { version: versionFrom(req), response },
        currentUser(req),
        actorOf(req),
      );
      if (wantsJson(req)) return res.json({ version: saved.version });
      const next = one(values, 'action') === 'next';
      res.redirect(next ? nextPage(detail, sectionId) : `/audits/${detail.audit.id}`);
    } catch (err) {
      if (err instanceof AuditSubmittedError) return alreadySubmitted(req, res);
      if (wantsJson(req) || !(err instanceof AppError)) throw err;
      if (err instanceof StaleVersionError) {
        const fresh = await load(req);
        return renderSection(
          res,
          fresh,
          sectionId,
          fresh.response,
          {},
          'This audit was saved somewhere else (another tab or device) after you opened this page, so your changes were not saved. The page now shows the latest saved answers: make your changes again.',
        );
      }
      const errors = err instanceof ValidationError ? formErrorsFor(sectionId, err.fieldErrors) : {};
      // A refusal about nothing on this page (the audit was submitted, say) is an error page of its own.
      if (Object.keys(errors).length > 0) return renderSection(res, detail, sectionId, response, errors);
      throw err;
    }
  });

  function renderOverall(
    res: Response,
    detail: AuditDetail,
    given: AuditResponse['overall'],
    errors: FieldErrors = {},
    stale?: string,
    fromCheck = false,
  ) {
    const { framework } = detail.framework;
    const constraint = overallConstraint(framework, sectionGrades(detail.response));
    const levels = scaleById(framework, framework.overall.scale).levels;
    const fields: Field[] = [
      {
        kind: 'radios',
        name: 'grade',
        legend: 'Overall grade',
        legendSize: 'm',
        hint: constraint.explanation,
        items: levels
          .filter((l) => l.notApplicable || constraint.allowed.includes(l.code))
          .map((l) => ({
            value: l.code,
            text: l.label,
            hint: framework.overall.descriptors?.[l.code] ?? l.descriptor,
            checked: given?.grade === l.code,
          })),
      },
      {
        kind: 'textarea',
        name: 'rationale',
        label: 'Why this overall grade',
        labelSize: 's',
        value: given?.rationale ?? '',
        rows: 6,
      },
    ];
    res.status(Object.keys(errors).length > 0 && !fromCheck ? 422 : 200).render('audits/overall', {
      title: caseTitle('Overall grade', detail.audit.profile.caseRef),
      backLink: backFrom(detail, fromCheck),
      ...common(detail),
      guidance: framework.overall.guidance,
      explanation: constraint.explanation,
      fields: fields.map((f) => fieldView(f, errors)),
      errorList: errorListFor(fields, errors),
      stale,
    });
  }

  router.get('/audits/:id/overall', async (req, res) => {
    const detail = await view(req);
    if (!detail.access.edit || detail.audit.status === 'submitted')
      return res.redirect(`/audits/${detail.audit.id}`);
    const missing = fromCheck(req)
      ? problemErrors(overallProblems(detail.framework.framework, detail.response))
      : {};
    renderOverall(res, detail, detail.response.overall, missing, undefined, fromCheck(req));
  });

  router.post('/audits/:id/overall', async (req, res) => {
    const detail = await load(req);
    if (wasSubmitted(detail)) return alreadySubmitted(req, res, detail);
    const values = formValues(req.body);
    const overall = {
      ...(one(values, 'grade') ? { grade: one(values, 'grade') } : {}),
      ...(one(values, 'rationale') ? { rationale: one(values, 'rationale') } : {}),
    };
    try {
      const saved = await audits.saveDraft(
        detail.audit.id,
        { version: versionFrom(req), response: { ...detail.response, overall } },
        currentUser(req),
        actorOf(req),
      );
      if (wantsJson(req)) return res.json({ version: saved.version });
      res.redirect(`/audits/${detail.audit.id}/check`);
    } catch (err) {
      if (err instanceof AuditSubmittedError) return alreadySubmitted(req, res);
      if (wantsJson(req) || !(err instanceof AppError)) throw err;
      if (err instanceof StaleVersionError) {
        const fresh = await load(req);
        return renderOverall(
          res,
          fresh,
          fresh.response.overall,
          {},
          'This audit was saved somewhere else after you opened this page, so your changes were not saved. Make them again.',
        );
      }
      const errors = err instanceof ValidationError ? formErrorsFor('overall', err.fieldErrors) : {};
      if (Object.keys(errors).length > 0) return renderOverall(res, detail, overall, errors);
      throw err;
    }
  });

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

  router.get('/audits/:id/check', async (req, res) => {
    const detail = await view(req);
    if (!detail.access.edit || detail.audit.status === 'submitted')
      return res.redirect(`/audits/${detail.audit.id}`);
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

  router.get('/audits/:id/safeguarding', async (req, res) => {
    const detail = await view(req);
    res.render('audits/safeguarding', safeguardingView(detail, {}));
  });

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

  router.post('/audits/:id/safeguarding', async (req, res) => {
    const detail = await load(req);
    const details = one(formValues(req.body), 'details');
    try {
      const outcome = await audits.raiseConcern(detail.audit.id, details, currentUser(req), actorOf(req));
      // A concern that reached nobody in one of its roles is never shown as a success.
      req.session.notice = { text: outcome.message, success: outcome.unrouted.length === 0 };
      res.redirect(`/audits/${detail.audit.id}`);
    } catch (err) {
      if (err instanceof ValidationError)
        return res
          .status(422)
          .render(
            'audits/safeguarding',
            safeguardingView(detail, { details: err.fieldErrors[0]?.message ?? err.message }, details),
          );
      throw err;
    }
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
      res.status(422).render('audits/read', {
        title: `Audit of case ${detail.audit.profile.caseRef}`,
        ...common(detail),
        profile: profileRows(detail.audit),
        summary: responseSummary(detail.framework.framework, detail.response),
        revisions: revisionRows(detail.revisions),
        concerns: detail.concerns,
        mayReopen: true,
        reason,
        errorList: [{ field: 'reason', message: err.fieldErrors[0]?.message ?? err.message }],
        reasonError: err.fieldErrors[0]?.message ?? err.message,
      });
    }
  });

  return router;
}
