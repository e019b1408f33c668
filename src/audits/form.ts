import type { FieldError } from '../errors';
import { scaleById } from '../frameworks/overall-grade';
import { relevanceText } from '../frameworks/labels';
import { YES_NO_NA_LABELS } from '../frameworks/scales';
import { isAnswerCondition } from '../frameworks/conditions';
import type { Condition, Framework, Question } from '../frameworks/types';
import type { Choice, Field, FieldErrors } from '../http/form-fields';
import { dateFrom, many, one, type FormValues } from '../http/form-values';
import { blocksOf } from '../frameworks/blocks';
import { blockExtrasFromForm, evidenceBox, evidenceField } from './block-form';
import { differencesIn, importedAnswer, type Difference } from './prefill';
import type { CaseProfile } from './repository';
import {
  isRelevant,
  type Answer,
  type AuditResponse,
  type FrameworkSection,
  type SectionResponse,
} from './response';

/** Form field names: answers are q-<question id>; a graded question's rationale is q-<id>-rationale. */
export const answerField = (questionId: string) => `q-${questionId}`;

/** A scale's grades as choices, each with its descriptor (the section's own, if it has one) as its hint. */
export function gradeChoices(
  framework: Framework,
  scaleId: string,
  current: string | undefined,
  descriptors?: Record<string, string>,
): Choice[] {
  return scaleById(framework, scaleId).levels.map((level) => ({
    value: level.code,
    text: level.label,
    hint: descriptors?.[level.code] ?? level.descriptor,
    checked: current === level.code,
  }));
}

function dateParts(value: unknown): { day?: string; month?: string; year?: string } {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return match ? { year: match[1], month: String(Number(match[2])), day: String(Number(match[3])) } : {};
}

/** A simple condition on a question of the same page: the page's script can show and hide it as answers change. */
const decidedHere = (condition: Condition, here: Set<string>): boolean =>
  isAnswerCondition(condition) && here.has(condition.question);

/** The form field for one question, showing its saved answer. */
export function questionField(framework: Framework, question: Question, answer: Answer | undefined): Field {
  const name = answerField(question.id);
  const hint =
    [question.guidance, question.required ? undefined : 'Optional.'].filter(Boolean).join(' ') || undefined;
  const common = { name, hint };
  switch (question.type) {
    case 'grade': {
      const given = (answer ?? {}) as { grade?: string; rationale?: string };
      return {
        kind: 'fieldset',
        name: `${name}-group`,
        legend: question.text,
        legendSize: 's',
        hint,
        fields: [
          {
            kind: 'radios',
            name,
            legend: 'Grade',
            legendSize: 's',
            small: true,
            items: gradeChoices(framework, question.scale as string, given.grade),
          },
          {
            kind: 'textarea',
            name: `${name}-rationale`,
            label: 'Why this grade',
            value: given.rationale ?? '',
            rows: 3,
          },
        ],
      };
    }
    case 'yes-no-na':
    case 'yes-no':
      return {
        ...common,
        kind: 'radios',
        legend: question.text,
        legendSize: 's',
        small: true,
        items: Object.entries(YES_NO_NA_LABELS)
          .filter(([value]) => question.type === 'yes-no-na' || value !== 'na')
          .map(([value, text]) => ({
            value,
            text,
            checked: answer === value,
          })),
      };
    case 'single-choice':
    case 'multiple-choice': {
      const chosen = Array.isArray(answer) ? answer : [answer];
      return {
        ...common,
        kind: question.type === 'single-choice' ? 'radios' : 'checkboxes',
        legend: question.text,
        legendSize: 's',
        small: true,
        items: (question.options ?? []).map((o) => ({
          value: o.value,
          text: o.label,
          checked: chosen.includes(o.value),
        })),
      };
    }
    case 'text':
      return {
        ...common,
        kind: 'textarea',
        label: question.text,
        labelSize: 's',
        value: typeof answer === 'string' ? answer : '',
      };
    case 'number':
      return {
        ...common,
        kind: 'input',
        label: question.text,
        labelSize: 's',
        width: 5,
        inputmode: question.integer ? 'numeric' : 'decimal',
        value: typeof answer === 'number' ? answer : '',
      };
    case 'date':
      return { ...common, kind: 'date', legend: question.text, value: dateParts(answer) };
  }
}

export interface QuestionView {
  id: string;
  field: Field;
  /** The answer differs from the case list: what the list says, and the confirmation asked for. */
  difference?: { imported: string; field: Field };
  /** The relevance condition, for the script that shows and hides questions as answers change. */
  relevantWhen?: string;
  relevanceHint?: string;
  /** The comment or evidence box under the answer, when the question has one. */
  evidence?: Field;
}

/** A section or a part: what a page of questions needs of it. */
export type Block = { id: string; questions: Question[] };

/**
 * The questions of a section as form fields. A question whose condition is on another section is shown
 * only when the saved answers make it relevant; one whose condition is on this section is always in the
 * page (the script hides it while it does not apply; answers to questions that do not apply are dropped).
 */
export function sectionQuestions(
  framework: Framework,
  section: Block,
  response: AuditResponse,
  profile?: CaseProfile,
): QuestionView[] {
  const here = new Set(section.questions.map((q) => q.id));
  const given = response.sections?.[section.id];
  const differences = new Map(
    (profile ? differencesIn(framework, section, response, profile) : []).map((d) => [d.questionId, d]),
  );
  return section.questions
    .filter((q) => !q.relevantWhen || decidedHere(q.relevantWhen, here) || isRelevant(framework, response, q))
    .map((q) => ({
      id: q.id,
      field: prefilledField(framework, q, given?.answers?.[q.id], profile),
      ...(q.evidence ? { evidence: evidenceBox(q, given?.evidence?.[q.id]) } : {}),
      ...(differences.has(q.id)
        ? {
            difference: {
              imported: differences.get(q.id)?.imported as string,
              field: differenceField(differences.get(q.id) as Difference, given?.differences?.[q.id]),
            },
          }
        : {}),
      ...(q.relevantWhen && decidedHere(q.relevantWhen, here)
        ? {
            relevantWhen: JSON.stringify(q.relevantWhen),
            relevanceHint: relevanceText(framework, q.relevantWhen),
          }
        : {}),
    }));
}

/**
 * A question's field: a question pre-filled from the case list shows the imported answer until answered,
 * and says where it came from.
 */
function prefilledField(
  framework: Framework,
  question: Question,
  answer: Answer | undefined,
  profile: CaseProfile | undefined,
): Field {
  const imported = profile ? importedAnswer(question, profile) : undefined;
  const field = questionField(framework, question, answer ?? imported);
  if (imported === undefined) return field;
  const note =
    answer === undefined
      ? 'Filled in from the case list: check it against the case record.'
      : 'The case list has an answer to this: a different answer is a difference to confirm.';
  return { ...field, hint: [field.hint, note].filter(Boolean).join(' ') };
}

/** Form names of a difference's confirmation: the checkbox and the reason revealed by it. */
export const confirmField = (questionId: string) => `confirm-${questionId}`;
export const reasonField = (questionId: string) => `difference-${questionId}`;

/** The confirmation asked for when an answer differs from the case list (GOV.UK checkbox with a reveal). */
function differenceField(difference: Difference, reason: string | undefined): Field {
  return {
    kind: 'checkboxes',
    name: confirmField(difference.questionId),
    legend: 'Confirm the difference',
    legendSize: 's',
    small: true,
    items: [
      {
        value: 'yes',
        text: 'I have checked the case record: it differs from the case list',
        checked: reason !== undefined,
        conditional: [
          {
            kind: 'textarea',
            name: reasonField(difference.questionId),
            label: 'Why does the case record differ from the case list?',
            hint: 'For example: the plan ended last month, or the list has the earlier episode.',
            rows: 3,
            value: reason ?? '',
          },
        ],
      },
    ],
  };
}

/**
 * The confirmations of the differences from the case list sent with a section's form: a confirmed one
 * (ticked, with a reason) is kept with the answers; one not confirmed is an error beside it.
 */
export function differencesFromForm(
  framework: Framework,
  section: Block,
  response: AuditResponse,
  profile: CaseProfile,
  values: FormValues,
): { confirmed: Record<string, string>; errors: FieldErrors } {
  const confirmed: Record<string, string> = {};
  const errors: FieldErrors = {};
  for (const difference of differencesIn(framework, section, response, profile)) {
    const id = difference.questionId;
    const ticked = many(values, confirmField(id)).includes('yes');
    const reason = one(values, reasonField(id));
    if (ticked && reason) confirmed[id] = reason;
    else if (!ticked)
      errors[confirmField(id)] =
        `"${difference.questionText}" differs from the case list (${difference.imported}): check the case record, then confirm it and say why, or change the answer`;
    else errors[reasonField(id)] = 'Say why the case record differs from the case list';
  }
  return { confirmed, errors };
}

function answerFrom(question: Question, values: FormValues, errors: FieldErrors): Answer | undefined {
  const name = answerField(question.id);
  switch (question.type) {
    case 'grade': {
      const grade = one(values, name);
      const rationale = one(values, `${name}-rationale`);
      return grade || rationale
        ? { ...(grade ? { grade } : {}), ...(rationale ? { rationale } : {}) }
        : undefined;
    }
    case 'multiple-choice':
      return many(values, name);
    case 'number': {
      const text = one(values, name);
      if (!text) return undefined;
      const n = Number(text.replace(/,/g, ''));
      if (!Number.isFinite(n)) errors[name] = `${question.text}: enter a number, like 3`;
      return Number.isFinite(n) ? n : undefined;
    }
    case 'date': {
      const parts = ['day', 'month', 'year'].map((p) => one(values, `${name}-${p}`));
      if (parts.every((p) => !p)) return undefined;
      const date = dateFrom(values, name, 'the date');
      if ('error' in date) errors[name] = date.error;
      return 'date' in date ? date.date : undefined;
    }
    default:
      return one(values, name) || undefined;
  }
}

/**
 * A section's page's responses from its form, by block id (the section's, then each part's); what cannot be
 * read (a number that is not one, a "does not apply" without why) is an error.
 */
export function sectionFromForm(
  section: FrameworkSection,
  values: FormValues,
): { blocks: Record<string, SectionResponse>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const blocks: Record<string, SectionResponse> = {};
  for (const block of [section, ...(section.parts ?? [])]) {
    const answers: Record<string, Answer> = {};
    for (const question of block.questions) {
      const answer = answerFrom(question, values, errors);
      if (answer !== undefined) answers[question.id] = answer;
    }
    const result: SectionResponse = { answers };
    blockExtrasFromForm(section, block, values, result, errors);
    blocks[block.id] = result;
  }
  return { blocks, errors };
}

/** Where a response error (a JSON pointer) is on the pages: the section (a part's: its section's) and the field. */
export function locate(pointer: string, framework?: Framework): { sectionId?: string; field: string } {
  const parts = pointer.split('/').slice(1);
  if (parts[0] === 'overall') return { sectionId: 'overall', field: parts[1] ?? 'grade' };
  if (parts[0] !== 'sections' || !parts[1]) return { field: parts.join('.') };
  const entry = framework && blocksOf(framework).find((e) => e.block.id === parts[1] && e.parentId);
  const sectionId = entry?.parentId ?? parts[1];
  const prefixed = (name: string) => (entry ? `part-${parts[1]}-${name}` : name);
  if (parts[2] === 'differences' && parts[3]) return { sectionId, field: reasonField(parts[3]) };
  if (parts[2] === 'evidence' && parts[3]) return { sectionId, field: evidenceField(parts[3]) };
  if (parts[2] === 'notApplicable') return { sectionId, field: prefixed('na-reason') };
  if (parts[2] === 'answers' && parts[3]) {
    return {
      sectionId,
      field: parts[4] === 'rationale' ? `${answerField(parts[3])}-rationale` : answerField(parts[3]),
    };
  }
  return { sectionId, field: prefixed(parts[2] ?? 'grade') };
}

/** Errors from the service as form errors for one section's page. */
export function formErrorsFor(
  sectionId: string,
  errors: readonly FieldError[],
  framework?: Framework,
): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const at = locate(error.field, framework);
    if (at.sectionId === sectionId && !result[at.field]) result[at.field] = error.message;
  }
  return result;
}
