import { overallConstraint } from '../frameworks/overall-grade';
import { DEFAULT_EVIDENCE_PROMPT } from '../frameworks/normalise';
import type { Framework, GradedBlock, Question } from '../frameworks/types';
import { blockField, evidenceField } from './block-form';
import type { FieldError } from '../errors';
import type { FieldErrors } from '../http/form-fields';
import { answerField, confirmField, locate } from './form';
import { differencesIn } from './prefill';
import type { CaseProfile } from './repository';
import { gradeLabel } from '../frameworks/labels';
import {
  lowestPartBroken,
  overallGrading,
  evidenceKey,
  missingInBlock,
  sectionGrades,
  type AuditResponse,
  type FrameworkSection,
  type SectionResponse,
} from './response';

/** Something an audit still needs before it can be submitted, on its page and field. */
export interface Problem {
  /** The form field's name on the page. */
  field: string;
  /** The element to link to: the whole question, so its legend is in view. */
  target: string;
  message: string;
}

/** A page of the audit with what is missing on it: a section, or the overall grade. */
export interface PageProblems {
  /** A section's id, or "overall". */
  id: string;
  title: string;
  problems: Problem[];
}

const shorten = (text: string) => (text.length > 90 ? `${text.slice(0, 87).trimEnd()}…` : text);

/** The element a form field sits in: a question's block, or a judgement field's own block. */
export function targetOf(field: string): string {
  const question = /^(?:q|confirm|difference|evidence)-(.+?)(-rationale)?$/.exec(field);
  return question ? `question-${question[1]}` : `field-${field}`;
}

function missingQuestion(
  section: { questions: Question[] },
  given: SectionResponse | undefined,
  id: string,
  rationaleRequired: boolean,
): Problem {
  const question = section.questions.find((q) => q.id === id);
  const text = `"${shorten(question?.text ?? id)}"`;
  const name = answerField(id);
  if (question?.type !== 'grade') return { field: name, target: targetOf(name), message: `Answer ${text}` };
  const answer = given?.answers?.[id] as { grade?: string } | undefined;
  return answer?.grade && rationaleRequired
    ? {
        field: `${name}-rationale`,
        target: targetOf(name),
        message: `Give a rationale for the grade for ${text}`,
      }
    : { field: name, target: targetOf(name), message: `Choose a grade for ${text}` };
}

/** Answers that differ from the case list and are not yet confirmed, as the check page reports them. */
export function unconfirmedDifferences(
  framework: Framework,
  section: { id: string; questions: Question[] },
  response: AuditResponse,
  profile: CaseProfile,
): Problem[] {
  return differencesIn(framework, section, response, profile)
    .filter((d) => d.reason === undefined)
    .map((d) => ({
      field: confirmField(d.questionId),
      target: targetOf(confirmField(d.questionId)),
      message: `Confirm why "${shorten(d.questionText)}" differs from the case list (${d.imported})`,
    }));
}

/** Every unconfirmed difference from the case list, as the submission's errors. */
export function differenceErrors(
  framework: Framework,
  response: AuditResponse,
  profile: CaseProfile,
): FieldError[] {
  return framework.sections.flatMap((section) =>
    unconfirmedDifferences(framework, section, response, profile).map((p) => ({
      field: `/sections/${section.id}/differences/${p.field.slice('confirm-'.length)}`,
      message: p.message,
    })),
  );
}

/**
 * What a section still needs, question by question, in the order of its page: answers, confirmations of
 * differences from the case list (given the case's profile), the grade and its rationale.
 */
export function sectionProblems(
  framework: Framework,
  section: FrameworkSection,
  response: AuditResponse,
  profile?: CaseProfile,
): Problem[] {
  const lowest = lowestPartBroken(framework, section, response);
  return [
    ...[section, ...(section.parts ?? [])].flatMap((block) =>
      blockProblems(framework, section, block, response, profile),
    ),
    ...(lowest
      ? [
          {
            field: 'grade',
            target: targetOf('grade'),
            message: `Choose the grade for ${section.title.toLowerCase()} again: it can be no better than its lowest part, ${gradeLabel(framework, section.scale ?? framework.defaultScale, lowest)}`,
          },
        ]
      : []),
  ];
}

/** What one block (the section, or one of its parts) still needs, in the order of the page. */
function blockProblems(
  framework: Framework,
  section: FrameworkSection,
  block: GradedBlock,
  response: AuditResponse,
  profile?: CaseProfile,
): Problem[] {
  const given = response.sections?.[block.id];
  const missing = missingInBlock(framework, block, response);
  const name = (n: string) => blockField(section, block, n);
  const own = (key: string, field: string, message: string): Problem[] =>
    missing.includes(key) ? [{ field, target: targetOf(field), message }] : [];
  const unconfirmed = new Map(
    (profile ? unconfirmedDifferences(framework, block, response, profile) : []).map((p) => [
      p.field.slice('confirm-'.length),
      p,
    ]),
  );
  const title = block.title.toLowerCase();
  return [
    ...own('notApplicable', name('na-reason'), `Say why ${title} does not apply`),
    ...block.questions.flatMap((q) => [
      ...(missing.includes(q.id) ? [missingQuestion(block, given, q.id, framework.rationaleRequired)] : []),
      ...own(
        evidenceKey(q.id),
        evidenceField(q.id),
        `Give the ${(q.evidencePrompt ?? DEFAULT_EVIDENCE_PROMPT).toLowerCase()} for "${shorten(q.text)}"`,
      ),
      ...(unconfirmed.has(q.id) ? [unconfirmed.get(q.id) as Problem] : []),
    ]),
    ...own('grade', name('grade'), `Choose a grade for ${title}`),
    ...own('rationale', name('rationale'), `Say why you chose the grade for ${title}`),
  ];
}

/** What the overall grade still needs: a grade the rule allows, and a rationale if required. */
export function overallProblems(framework: Framework, response: AuditResponse): Problem[] {
  const grading = overallGrading(framework);
  if (grading === 'none') return [];
  const { allowed, explanation } = overallConstraint(framework, sectionGrades(response));
  const grade = response.overall?.grade;
  const problems: Problem[] = [];
  if (!grade && grading === 'optional') return problems;
  if (!grade) problems.push({ field: 'grade', target: 'field-grade', message: 'Choose an overall grade' });
  else if (!allowed.includes(grade))
    problems.push({
      field: 'grade',
      target: 'field-grade',
      message: `Choose the overall grade again: ${explanation ?? 'the one chosen is not allowed'}`,
    });
  if (framework.rationaleRequired && !response.overall?.rationale?.trim())
    problems.push({
      field: 'rationale',
      target: 'field-rationale',
      message: 'Say why you chose the overall grade',
    });
  return problems;
}

/**
 * Every page of the audit with something missing, in the order of the task list, with the submission
 * check's own errors (anything the schema found that the pages' rules did not) added to their page.
 */
export function auditProblems(
  framework: Framework,
  response: AuditResponse,
  errors: readonly FieldError[] = [],
  profile?: CaseProfile,
): PageProblems[] {
  const pages: PageProblems[] = [
    ...framework.sections.map((s) => ({
      id: s.id,
      title: s.title,
      problems: sectionProblems(framework, s, response, profile),
    })),
    ...(overallGrading(framework) === 'none'
      ? []
      : [{ id: 'overall', title: 'Overall grade', problems: overallProblems(framework, response) }]),
  ];
  for (const error of errors) {
    const at = locate(error.field, framework);
    const page = pages.find((p) => p.id === at.sectionId);
    if (page && page.problems.length === 0)
      page.problems.push({ field: at.field, target: targetOf(at.field), message: error.message });
  }
  return pages.filter((p) => p.problems.length > 0);
}

/** A page's problems as its form's errors, for the inline messages and the page's error summary. */
export function problemErrors(problems: readonly Problem[]): FieldErrors {
  return Object.fromEntries(problems.map((p) => [p.field, p.message]));
}
