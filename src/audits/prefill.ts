import { answerLabel } from '../frameworks/labels';
import { YES_NO_NA } from '../frameworks/scales';
import { questionsRead } from '../frameworks/conditions';
import type { Framework, Question } from '../frameworks/types';
import type { CaseProfile } from './repository';
import { isRelevant, type Answer, type AuditResponse } from './response';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The imported value as the case list holds it, as text: yes or no for flags, digits for numbers. */
function importedText(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
}

/** Whether the question takes this answer: one of its options, yes/no/na, a date, a number in range. */
function takes(question: Question, text: string): Answer | undefined {
  switch (question.type) {
    case 'yes-no-na':
      return (YES_NO_NA as readonly string[]).includes(text) ? text : undefined;
    case 'single-choice':
      return question.options?.some((o) => o.value === text) ? text : undefined;
    case 'multiple-choice':
      return question.options?.some((o) => o.value === text) ? [text] : undefined;
    case 'date':
      return ISO_DATE.test(text) ? text : undefined;
    case 'number': {
      const n = Number(text);
      const fits =
        Number.isFinite(n) &&
        (!question.integer || Number.isInteger(n)) &&
        (question.min === undefined || n >= question.min) &&
        (question.max === undefined || n <= question.max);
      return fits ? n : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The answer the case list gives a question that is pre-filled from it (docs/frameworks.md, `prefill`):
 * the imported value, mapped through the framework's values when it has them. Nothing when the case list
 * has no value, or one the question cannot take.
 */
export function importedAnswer(question: Question, profile: CaseProfile): Answer | undefined {
  if (!question.prefill) return undefined;
  const text = importedText(profile[question.prefill.from]);
  if (text === undefined) return undefined;
  const values = question.prefill.values;
  const mapped = values ? values[text] : text;
  return mapped === undefined ? undefined : takes(question, mapped);
}

const same = (a: Answer, b: Answer) =>
  JSON.stringify(Array.isArray(a) ? [...a].sort() : a) ===
  JSON.stringify(Array.isArray(b) ? [...b].sort() : b);

/** A pre-filled question whose answer is not what the case list says. */
export interface Difference {
  questionId: string;
  questionText: string;
  /** What the case list says, in words. */
  imported: string;
  /** The auditor's reason, when they have confirmed it. */
  reason?: string;
}

/** Each answer in the section that differs from the case list (a question not answered differs from nothing). */
export function differencesIn(
  framework: Framework,
  section: { id: string; questions: Question[] },
  response: AuditResponse,
  profile: CaseProfile,
): Difference[] {
  const given = response.sections?.[section.id];
  return section.questions.flatMap((question) => {
    const imported = importedAnswer(question, profile);
    const answer = given?.answers?.[question.id];
    if (imported === undefined || answer === undefined || same(answer, imported)) return [];
    if (!isRelevant(framework, response, question)) return [];
    const words = Array.isArray(imported)
      ? imported.map((v) => answerLabel(framework, question, v)).join(', ')
      : typeof imported === 'number'
        ? String(imported)
        : answerLabel(framework, question, imported as string);
    const reason = given?.differences?.[question.id];
    return [
      {
        questionId: question.id,
        questionText: question.text,
        imported: words,
        ...(reason ? { reason } : {}),
      },
    ];
  });
}

/**
 * The response with the pre-filled questions that apply answered as the case list does (a made-up audit
 * that agrees with its case list). A question others depend on is left alone: its answer would change
 * which questions apply.
 */
export function agreeingWithCaseList(
  framework: Framework,
  response: AuditResponse,
  profile: CaseProfile,
): AuditResponse {
  const controllers = new Set(
    framework.sections.flatMap((s) => s.questions.flatMap((q) => questionsRead(q.relevantWhen))),
  );
  const result = structuredClone(response);
  for (const section of framework.sections) {
    for (const question of section.questions) {
      const imported = importedAnswer(question, profile);
      if (imported === undefined || controllers.has(question.id)) continue;
      if (!isRelevant(framework, result, question)) continue;
      const sections = (result.sections ??= {});
      const answers = ((sections[section.id] ??= {}).answers ??= {});
      answers[question.id] = imported;
    }
  }
  return result;
}
