import { Router, type Response } from 'express';
import { errorListFor, fieldView, type FieldErrors } from '../http/form-fields';
import { formValues } from '../http/form-values';
import { caseTitle } from '../http/page-title';
import { overallFields, overallFromForm } from './overall-form';
import { backFrom, common, fromCheck, submittedByThem, type AnswersPage, type AuditPages } from './pages';
import { overallProblems, problemErrors } from './problems';
import { overallGrading, type AuditResponse } from './response';
import type { AuditDetail } from './service';

function renderOverall(
  res: Response,
  detail: AuditDetail,
  response: AuditResponse,
  errors: FieldErrors = {},
  stale?: string,
  check = false,
) {
  const { framework } = detail.framework;
  const { fields, explanation } = overallFields(framework, response);
  res.status(Object.keys(errors).length > 0 && !check ? 422 : 200).render('audits/overall', {
    title: caseTitle('Overall grade', detail.audit.profile.caseRef),
    backLink: backFrom(detail, check),
    ...common(detail),
    guidance: framework.overall.guidance,
    explanation,
    fields: fields.map((f) => fieldView(f, errors)),
    errorList: errorListFor(fields, errors),
    stale,
  });
}

/** The overall grade's page as a refused save shows it again. */
const answersPage: AnswersPage = {
  id: 'overall',
  staleNotice:
    'This audit was saved somewhere else after you opened this page, so your changes were not saved. Make them again.',
  render: renderOverall,
};

/** The overall grade: the grades the section grades allow, and why. */
export function overallPages({ view, load, alreadySubmitted, saveAnswers }: AuditPages): Router {
  const router = Router();

  router.get('/audits/:id/overall', async (req, res) => {
    const detail = await view(req);
    if (!detail.editable || overallGrading(detail.framework.framework) === 'none')
      return res.redirect(`/audits/${detail.audit.id}`);
    const missing = fromCheck(req)
      ? problemErrors(overallProblems(detail.framework.framework, detail.response))
      : {};
    renderOverall(res, detail, detail.response, missing, undefined, fromCheck(req));
  });

  router.post('/audits/:id/overall', async (req, res) => {
    const detail = await load(req);
    if (submittedByThem(detail)) return alreadySubmitted(req, res, detail);
    const overall = overallFromForm(formValues(req.body));
    const response = { ...detail.response, overall };
    await saveAnswers(req, res, detail, response, answersPage, `/audits/${detail.audit.id}/check`);
  });

  return router;
}
