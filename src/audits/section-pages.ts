import { Router, type Response } from 'express';
import { NotFoundError } from '../errors';
import { errorListFor, fieldView, type Field, type FieldErrors } from '../http/form-fields';
import { formValues, one } from '../http/form-values';
import { caseTitle } from '../http/page-title';
import { conditionText } from '../frameworks/labels';
import type { GradedBlock } from '../frameworks/types';
import { judgementFields, notApplicableField } from './block-form';
import { differencesFromForm, sectionFromForm, sectionQuestions } from './form';
import {
  backFrom,
  common,
  fromCheck,
  submittedByThem,
  wantsJson,
  type AnswersPage,
  type AuditPages,
} from './pages';
import { problemErrors, sectionProblems } from './problems';
import {
  blockNotApplying,
  overallGrading,
  type AuditResponse,
  type FrameworkSection,
  type SectionResponse,
} from './response';
import type { AuditDetail } from './service';

const KIND_LABELS: Record<string, string> = {
  'practitioner-conversation': 'Practitioner conversation',
  'family-feedback': 'Child and family feedback',
};

/** The parts rule "lowest-part", in words. */
export const LOWEST_PART = 'The section’s grade can be no better than its lowest part.';

const STALE_NOTICE =
  'This audit was saved somewhere else (another tab or device) after you opened this page, so your changes were not saved. The page now shows the latest saved answers: make your changes again.';

function sectionOf(detail: AuditDetail, sectionId: string) {
  const section = detail.framework.framework.sections.find((s) => s.id === sectionId);
  if (!section) throw new NotFoundError();
  return section;
}

/** The page after a section: the next section, or the overall grade after the last. */
function nextPage(detail: AuditDetail, sectionId: string): string {
  const sections = detail.framework.framework.sections;
  const next = sections[sections.findIndex((s) => s.id === sectionId) + 1];
  if (next) return `/audits/${detail.audit.id}/sections/${next.id}`;
  const none = overallGrading(detail.framework.framework) === 'none';
  return `/audits/${detail.audit.id}/${none ? 'check' : 'overall'}`;
}

/** A block's part of the page: its questions (with evidence boxes), "does not apply" and its judgement. */
function blockView(
  detail: AuditDetail,
  section: FrameworkSection,
  block: GradedBlock,
  response: AuditResponse,
  errors: FieldErrors,
) {
  const { framework } = detail.framework;
  const given = response.sections?.[block.id];
  const why = blockNotApplying(framework, response, block.id);
  const na = notApplicableField(section, block, given);
  const judgement = why ? [] : judgementFields(framework, section, block, given);
  const questions = why ? [] : sectionQuestions(framework, block, response, detail.audit.profile);
  const fields: Field[] = [
    ...(why === 'condition' || !na ? [] : [na]),
    ...questions.flatMap((q) => [
      q.field,
      ...(q.evidence ? [q.evidence] : []),
      ...(q.difference ? [q.difference.field] : []),
    ]),
    ...judgement,
  ];
  return {
    fields,
    view: {
      id: block.id,
      title: block.title,
      guidance: block.guidance,
      doesNotApply:
        why === 'condition' && block.relevantWhen
          ? `Does not apply: only asked when ${conditionText(framework, block.relevantWhen)}.`
          : undefined,
      notApplicable: why === 'condition' || !na ? undefined : fieldView(na, errors),
      questions: questions.map((q) => ({
        ...q,
        field: fieldView(q.field, errors),
        evidence: q.evidence && fieldView(q.evidence, errors),
        difference: q.difference && { ...q.difference, field: fieldView(q.difference.field, errors) },
      })),
      judgement: judgement.map((f) => fieldView(f, errors)),
    },
  };
}

function renderSection(
  res: Response,
  detail: AuditDetail,
  sectionId: string,
  response: AuditResponse,
  errors: FieldErrors = {},
  stale?: string,
  check = false,
) {
  const section = sectionOf(detail, sectionId);
  const own = blockView(detail, section, section, response, errors);
  const parts = (section.parts ?? []).map((part) => blockView(detail, section, part, response, errors));
  const all: Field[] = [...own.fields, ...parts.flatMap((p) => p.fields)];
  res.status(Object.keys(errors).length > 0 && !check ? 422 : 200).render('audits/section', {
    title: caseTitle(section.title, detail.audit.profile.caseRef),
    backLink: backFrom(detail, check),
    ...common(detail),
    section,
    kindLabel: section.kind ? KIND_LABELS[section.kind] : undefined,
    own: own.view,
    parts: parts.map((p) => p.view),
    partsRule: section.partsRule === 'lowest-part' ? LOWEST_PART : undefined,
    errorList: errorListFor(all, errors),
    stale,
    nextHref: nextPage(detail, sectionId),
  });
}

/** A section's page as a refused save shows it again. */
const answersPage = (sectionId: string): AnswersPage => ({
  id: sectionId,
  staleNotice: STALE_NOTICE,
  render: (res, detail, response, errors, stale) =>
    renderSection(res, detail, sectionId, response, errors, stale),
});

/** One page per section of the framework: its questions, and its grade if it is graded. */
export function sectionPages({ view, load, alreadySubmitted, saveAnswers }: AuditPages): Router {
  const router = Router();

  router.get('/audits/:id/sections/:sectionId', async (req, res) => {
    const detail = await view(req);
    if (!detail.editable) return res.redirect(`/audits/${detail.audit.id}`);
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
    if (submittedByThem(detail)) return alreadySubmitted(req, res, detail);
    const sectionId = String(req.params.sectionId);
    const section = sectionOf(detail, sectionId);
    const values = formValues(req.body);
    const { blocks, errors: unreadable } = sectionFromForm(section, values);
    const sections = { ...detail.response.sections, ...blocks };
    // An answer that differs from the case list is kept with its confirmation; one not yet confirmed
    // stops "Save" (the page asks for it) but not the page's saving as you type, which keeps the draft.
    const { confirmed, errors: unconfirmed } = differencesFromForm(
      detail.framework.framework,
      section,
      { ...detail.response, sections },
      detail.audit.profile,
      values,
    );
    if (Object.keys(confirmed).length > 0) (blocks[sectionId] as SectionResponse).differences = confirmed;
    const response: AuditResponse = { ...detail.response, sections };
    const errors = wantsJson(req) ? unreadable : { ...unreadable, ...unconfirmed };
    if (Object.keys(errors).length > 0) {
      if (wantsJson(req)) return res.status(422).json({ errors });
      return renderSection(res, detail, sectionId, response, errors);
    }
    const next =
      one(values, 'action') === 'next' ? nextPage(detail, sectionId) : `/audits/${detail.audit.id}`;
    await saveAnswers(req, res, detail, response, answersPage(sectionId), next);
  });

  return router;
}
