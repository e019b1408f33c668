import { overallConstraint } from '../frameworks/overall-grade';
import { conditionHolds as holds, type CaseFacts } from '../frameworks/conditions';
import type { Condition, Framework, Question } from '../frameworks/types';

/** An answer as the response schema holds it. */
export type Answer = string | number | string[] | { grade?: string; rationale?: string };

export interface SectionResponse {
  grade?: string;
  rationale?: string;
  strengths?: string;
  developments?: string;
  answers?: Record<string, Answer>;
  /**
   * Pre-filled answers the auditor changed from what the case list says, each with why the case record
   * differs (by question id): the auditor has checked and confirmed each difference.
   */
  differences?: Record<string, string>;
}

/** An audit response: the shape the framework's response schema describes. */
export interface AuditResponse {
  sections?: Record<string, SectionResponse>;
  overall?: { grade?: string; rationale?: string };
  safeguardingConcern?: { raised: boolean; details?: string };
}

export type FrameworkSection = Framework['sections'][number];

const blank = (value: unknown) =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

function answerOf(framework: Framework, response: AuditResponse, questionId: string): Answer | undefined {
  const section = framework.sections.find((s) => s.questions.some((q) => q.id === questionId));
  return section ? response.sections?.[section.id]?.answers?.[questionId] : undefined;
}

/** Whether a relevance condition holds for the answers given so far. */
export function conditionHolds(
  framework: Framework,
  response: AuditResponse,
  condition: Condition,
  facts?: CaseFacts,
): boolean {
  return holds(condition, (id) => answerOf(framework, response, id), facts);
}

export function isRelevant(framework: Framework, response: AuditResponse, question: Question): boolean {
  return !question.relevantWhen || conditionHolds(framework, response, question.relevantWhen);
}

/**
 * The response without answers to questions that do not apply (a changed answer can make others
 * irrelevant, which can make more irrelevant in turn), nor blank answers, nor empty sections.
 */
export function pruneResponse(framework: Framework, response: AuditResponse): AuditResponse {
  const current = structuredClone(response);
  for (;;) {
    let changed = false;
    for (const section of framework.sections) {
      const answers = current.sections?.[section.id]?.answers;
      if (!answers) continue;
      for (const question of section.questions) {
        if (
          question.id in answers &&
          (blank(answers[question.id]) || !isRelevant(framework, current, question))
        ) {
          delete answers[question.id];
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  for (const [id, section] of Object.entries(current.sections ?? {})) {
    for (const key of ['grade', 'rationale', 'strengths', 'developments'] as const)
      if (blank(section[key])) delete section[key];
    if (section.answers && Object.keys(section.answers).length === 0) delete section.answers;
    // A confirmed difference goes with its answer: when the question is no longer answered, so is it.
    for (const questionId of Object.keys(section.differences ?? {}))
      if (!(questionId in (section.answers ?? {})) || blank(section.differences?.[questionId]))
        delete section.differences?.[questionId];
    if (section.differences && Object.keys(section.differences).length === 0) delete section.differences;
    if (Object.keys(section).length === 0) delete current.sections?.[id];
  }
  if (current.sections && Object.keys(current.sections).length === 0) delete current.sections;
  if (current.overall) {
    if (blank(current.overall.grade)) delete current.overall.grade;
    if (blank(current.overall.rationale)) delete current.overall.rationale;
    if (Object.keys(current.overall).length === 0) delete current.overall;
  }
  return current;
}

export type Progress = 'not-started' | 'in-progress' | 'completed';

/** What a section still needs before the audit can be submitted: nothing, when it is complete. */
export function missingInSection(
  framework: Framework,
  section: FrameworkSection,
  response: AuditResponse,
): string[] {
  const given = response.sections?.[section.id];
  const missing: string[] = [];
  if (section.graded) {
    if (blank(given?.grade)) missing.push('grade');
    if (framework.rationaleRequired && blank(given?.rationale)) missing.push('rationale');
  }
  for (const question of section.questions) {
    if (!question.required || !isRelevant(framework, response, question)) continue;
    const answer = given?.answers?.[question.id];
    const empty =
      question.type === 'grade'
        ? blank((answer as { grade?: string } | undefined)?.grade) ||
          (framework.rationaleRequired && blank((answer as { rationale?: string } | undefined)?.rationale))
        : blank(answer);
    if (empty) missing.push(question.id);
  }
  return missing;
}

export function sectionProgress(
  framework: Framework,
  section: FrameworkSection,
  response: AuditResponse,
): Progress {
  const given = response.sections?.[section.id];
  if (!given || Object.keys(given).length === 0) return 'not-started';
  return missingInSection(framework, section, response).length === 0 ? 'completed' : 'in-progress';
}

/** Section grades so far, by section id. */
export function sectionGrades(response: AuditResponse): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(response.sections ?? {}).map(([id, s]) => [id, s.grade]));
}

/** The overall grade's progress: complete when graded within the rule, with a rationale if required. */
export function overallProgress(framework: Framework, response: AuditResponse): Progress {
  const overall = response.overall;
  if (!overall || (blank(overall.grade) && blank(overall.rationale))) return 'not-started';
  const { allowed } = overallConstraint(framework, sectionGrades(response));
  const graded = !blank(overall.grade) && allowed.includes(overall.grade as string);
  return graded && (!framework.rationaleRequired || !blank(overall.rationale)) ? 'completed' : 'in-progress';
}
