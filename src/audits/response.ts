import { blockByIdIn, blockOfQuestionIn, blocksOf, gradingOf, type BlockEntry } from '../frameworks/blocks';
import { overallConstraint, scaleById } from '../frameworks/overall-grade';
import { rankedLevels } from '../frameworks/scales';
import { conditionHolds as holds, questionsRead, type CaseFacts } from '../frameworks/conditions';
import type { Condition, Framework, GradedBlock, Grading, Question } from '../frameworks/types';

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
  /** Comments or evidence under answers, by question id. */
  evidence?: Record<string, string>;
  /** The auditor marked the block (a section or part) not applicable, saying why. */
  notApplicable?: { reason: string };
}

/** An audit response: the shape the framework's response schema describes. */
export interface AuditResponse {
  sections?: Record<string, SectionResponse>;
  overall?: { grade?: string; rationale?: string };
  safeguardingConcern?: { raised: boolean; details?: string };
  /**
   * The audited case's facts, beside the response only while it is checked (case conditions read them);
   * never stored: see withCase and withoutCase.
   */
  case?: CaseFacts;
}

export type FrameworkSection = Framework['sections'][number];

const blank = (value: unknown) =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

/** The block (section or part) a question belongs to. */
export function blockOfQuestion(framework: Framework, questionId: string): BlockEntry | undefined {
  return blockOfQuestionIn(framework, questionId);
}

function answerOf(framework: Framework, response: AuditResponse, questionId: string): Answer | undefined {
  const entry = blockOfQuestion(framework, questionId);
  return entry ? response.sections?.[entry.block.id]?.answers?.[questionId] : undefined;
}

/** Whether a condition holds for the answers given so far and the case facts beside the response. */
export function conditionHolds(
  framework: Framework,
  response: AuditResponse,
  condition: Condition,
  facts: CaseFacts | undefined = response.case,
): boolean {
  return holds(condition, (id) => answerOf(framework, response, id), facts);
}

/** Why a block does not apply: its condition does not hold, or the auditor (of it or its section) said so. */
export type NotApplying = 'condition' | 'marked';

/** Whether a section or part applies; when not, why. A part of a section that does not apply does not either. */
export function blockNotApplying(
  framework: Framework,
  response: AuditResponse,
  blockId: string,
): NotApplying | undefined {
  const entry = blockByIdIn(framework, blockId);
  if (!entry) return undefined;
  if (entry.parentId) {
    const parent = blockNotApplying(framework, response, entry.parentId);
    if (parent) return parent;
  }
  if (entry.block.relevantWhen && !conditionHolds(framework, response, entry.block.relevantWhen))
    return 'condition';
  return entry.block.allowNotApplicable && response.sections?.[blockId]?.notApplicable ? 'marked' : undefined;
}

/** Whether a condition reads an answer not given yet: what it decides is still to come. */
export function awaitsAnswers(framework: Framework, response: AuditResponse, condition: Condition): boolean {
  return questionsRead(condition).some((id) => answerOf(framework, response, id) === undefined);
}

export function isRelevant(framework: Framework, response: AuditResponse, question: Question): boolean {
  const entry = blockOfQuestion(framework, question.id);
  if (entry && blockNotApplying(framework, response, entry.block.id)) return false;
  return !question.relevantWhen || conditionHolds(framework, response, question.relevantWhen);
}

/** The response with the case's facts beside it, for checking and showing what applies. */
export function withCase(response: AuditResponse, facts: CaseFacts): AuditResponse {
  return { ...response, case: facts };
}

/** The response as stored and sent: without the case facts. */
export function withoutCase(response: AuditResponse): AuditResponse {
  const { case: _facts, ...rest } = response;
  return rest;
}

const JUDGEMENT_KEYS = ['grade', 'rationale', 'strengths', 'developments'] as const;

/** Empties a block that does not apply: by condition, all of it; marked, all but the mark and its reason. */
function emptyBlock(response: AuditResponse, blockId: string, why: NotApplying, own: boolean): boolean {
  const given = response.sections?.[blockId];
  if (!given) return false;
  const keep = why === 'marked' && own ? ['notApplicable'] : [];
  let changed = false;
  for (const key of Object.keys(given) as (keyof SectionResponse)[])
    if (!keep.includes(key)) {
      delete given[key];
      changed = true;
    }
  return changed;
}

/** Removes what a block holds that does not apply: answers to irrelevant questions, blank answers and evidence. */
function pruneBlock(framework: Framework, current: AuditResponse, entry: BlockEntry): boolean {
  const given = current.sections?.[entry.block.id];
  if (!given) return false;
  const why = blockNotApplying(framework, current, entry.block.id);
  if (why) {
    const own = why === 'marked' && Boolean(given.notApplicable);
    return emptyBlock(current, entry.block.id, why, own);
  }
  if (given.notApplicable && !entry.block.allowNotApplicable) {
    delete given.notApplicable;
  }
  let changed = false;
  const answers = given.answers ?? {};
  for (const question of entry.block.questions) {
    if (
      question.id in answers &&
      (blank(answers[question.id]) || !isRelevant(framework, current, question))
    ) {
      delete answers[question.id];
      changed = true;
    }
    if (given.evidence && question.id in given.evidence && !isRelevant(framework, current, question)) {
      delete given.evidence[question.id];
      changed = true;
    }
  }
  return changed;
}

/** A grade is kept only on a block that takes one. */
function pruneGrading(block: GradedBlock, given: SectionResponse) {
  if (gradingOf(block) === 'none') for (const key of JUDGEMENT_KEYS) delete given[key];
}

/**
 * The response without answers to questions that do not apply (a changed answer can make others
 * irrelevant, which can make more irrelevant in turn), nor the content of sections and parts that do not
 * apply, nor blank answers, nor empty sections. The case facts beside it (if any) stay.
 */
export function pruneResponse(framework: Framework, response: AuditResponse): AuditResponse {
  const current = structuredClone(response);
  const entries = blocksOf(framework);
  for (;;) {
    let changed = false;
    for (const entry of entries) if (pruneBlock(framework, current, entry)) changed = true;
    if (!changed) break;
  }
  for (const entry of entries) {
    const given = current.sections?.[entry.block.id];
    if (given && !given.notApplicable) pruneGrading(entry.block, given);
  }
  for (const [id, section] of Object.entries(current.sections ?? {})) {
    for (const key of JUDGEMENT_KEYS) if (blank(section[key])) delete section[key];
    if (section.answers && Object.keys(section.answers).length === 0) delete section.answers;
    // A confirmed difference goes with its answer: when the question is no longer answered, so is it.
    for (const questionId of Object.keys(section.differences ?? {}))
      if (!(questionId in (section.answers ?? {})) || blank(section.differences?.[questionId]))
        delete section.differences?.[questionId];
    if (section.differences && Object.keys(section.differences).length === 0) delete section.differences;
    for (const questionId of Object.keys(section.evidence ?? {}))
      if (blank(section.evidence?.[questionId])) delete section.evidence?.[questionId];
    if (section.evidence && Object.keys(section.evidence).length === 0) delete section.evidence;
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

/** Where a missing piece goes in the missing list: evidence under a question. */
export const evidenceKey = (questionId: string) => `evidence-${questionId}`;

/**
 * What a section or part still needs before the audit can be submitted (its grade, rationale, the reason
 * it does not apply, answers by question id, evidence by evidenceKey): nothing, when it is complete or
 * does not apply.
 */
export function missingInBlock(framework: Framework, block: GradedBlock, response: AuditResponse): string[] {
  const given = response.sections?.[block.id];
  const why = blockNotApplying(framework, response, block.id);
  if (why === 'condition') return [];
  if (why === 'marked')
    return given?.notApplicable && blank(given.notApplicable.reason) ? ['notApplicable'] : [];
  const missing: string[] = [];
  const grading = gradingOf(block);
  if (grading === 'required' && blank(given?.grade)) missing.push('grade');
  if (grading !== 'none' && framework.rationaleRequired && blank(given?.rationale)) {
    if (grading === 'required' || !blank(given?.grade)) missing.push('rationale');
  }
  for (const question of block.questions) {
    if (!isRelevant(framework, response, question)) continue;
    const answer = given?.answers?.[question.id];
    const empty =
      question.type === 'grade'
        ? blank((answer as { grade?: string } | undefined)?.grade) ||
          (framework.rationaleRequired && blank((answer as { rationale?: string } | undefined)?.rationale))
        : blank(answer);
    if (question.required && empty) missing.push(question.id);
    if (question.evidence === 'required' && !blank(answer) && blank(given?.evidence?.[question.id]))
      missing.push(evidenceKey(question.id));
  }
  return missing;
}

/**
 * The lowest-part rule broken: the section's grade is better than its lowest graded part that applies.
 * Returns the lowest part's grade code, or undefined when the rule holds (or does not apply).
 */
export function lowestPartBroken(
  framework: Framework,
  section: FrameworkSection,
  response: AuditResponse,
): string | undefined {
  if (section.partsRule !== 'lowest-part') return undefined;
  const scale = scaleById(framework, section.scale ?? framework.defaultScale);
  const rank = (code: string | undefined) => rankedLevels(scale).findIndex((l) => l.code === code);
  const own = rank(response.sections?.[section.id]?.grade);
  if (own < 0) return undefined;
  const parts = (section.parts ?? [])
    .filter((p) => !blockNotApplying(framework, response, p.id))
    .map((p) => response.sections?.[p.id]?.grade)
    .filter((g) => rank(g) >= 0);
  const lowest = parts.sort((a, b) => rank(b) - rank(a))[0];
  return lowest !== undefined && rank(lowest) > own ? lowest : undefined;
}

/** What a section still needs, its own (see missingInBlock): its parts are reported by missingInParts. */
export function missingInSection(
  framework: Framework,
  section: FrameworkSection,
  response: AuditResponse,
): string[] {
  const missing = missingInBlock(framework, section, response);
  if (!missing.includes('grade') && lowestPartBroken(framework, section, response)) missing.push('grade');
  return missing;
}

/** What each part of a section still needs, by part id (complete parts left out). */
export function missingInParts(
  framework: Framework,
  section: FrameworkSection,
  response: AuditResponse,
): { part: GradedBlock; missing: string[] }[] {
  return (section.parts ?? [])
    .map((part) => ({ part, missing: missingInBlock(framework, part, response) }))
    .filter((p) => p.missing.length > 0);
}

export function sectionProgress(
  framework: Framework,
  section: FrameworkSection,
  response: AuditResponse,
): Progress {
  const ids = [section.id, ...(section.parts ?? []).map((p) => p.id)];
  const given = ids.map((id) => response.sections?.[id]).filter((g) => g && Object.keys(g).length > 0);
  if (given.length === 0) return 'not-started';
  const complete =
    missingInSection(framework, section, response).length === 0 &&
    missingInParts(framework, section, response).length === 0;
  return complete ? 'completed' : 'in-progress';
}

/** Section grades so far, by section id. */
export function sectionGrades(response: AuditResponse): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(response.sections ?? {}).map(([id, s]) => [id, s.grade]));
}

/** Whether the overall grade is required (the default), optional or not given at all. */
export const overallGrading = (framework: Framework): Grading => framework.overall.grading ?? 'required';

/** The overall grade's progress: complete when graded within the rule, with a rationale if required. */
export function overallProgress(framework: Framework, response: AuditResponse): Progress {
  const overall = response.overall;
  const grading = overallGrading(framework);
  if (grading === 'none') return 'completed';
  if (!overall || (blank(overall.grade) && blank(overall.rationale)))
    return grading === 'optional' ? 'completed' : 'not-started';
  if (grading === 'optional' && blank(overall.grade)) return 'completed';
  const { allowed } = overallConstraint(framework, sectionGrades(response));
  const graded = !blank(overall.grade) && allowed.includes(overall.grade as string);
  return graded && (!framework.rationaleRequired || !blank(overall.rationale)) ? 'completed' : 'in-progress';
}

/**
 * What the newer constructs still need at submission, as response errors (JSON pointers): a reason for each
 * block marked not applicable, required evidence under answers given, and a section grade within the
 * lowest-part rule.
 */
export function submissionErrors(
  framework: Framework,
  response: AuditResponse,
): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  for (const { block } of blocksOf(framework)) {
    const missing = missingInBlock(framework, block, response);
    const at = `/sections/${block.id}`;
    if (missing.includes('notApplicable'))
      errors.push({ field: `${at}/notApplicable/reason`, message: `Say why ${block.title} does not apply` });
    for (const question of block.questions)
      if (missing.includes(evidenceKey(question.id)))
        errors.push({
          field: `${at}/evidence/${question.id}`,
          message: `Give the evidence for "${question.text}"`,
        });
  }
  for (const section of framework.sections)
    if (lowestPartBroken(framework, section, response))
      errors.push({
        field: `/sections/${section.id}/grade`,
        message: `The grade for ${section.title} can be no better than its lowest part`,
      });
  return errors;
}
