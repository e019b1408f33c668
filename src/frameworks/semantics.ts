import { blocksOf, gradingOf } from './blocks';
import { BUILT_IN_SCALES, DEFAULT_SCALE, rankedLevels } from './scales';
import { canonicalJson } from './canonical-json';
import { answersOf, checkCondition, type ConditionContext } from './condition-checks';
import type {
  FrameworkDocument,
  FrameworkProblem,
  Prefill,
  PrefillField,
  Question,
  Scale,
  Section,
} from './types';

const CHOICE_TYPES = new Set(['single-choice', 'multiple-choice']);

/** The scales a framework can use: the built-in ones (which its own cannot replace), and its own, by id. */
export function scalesOf(document: FrameworkDocument): Map<string, Scale> {
  const scales = new Map(BUILT_IN_SCALES.map((scale) => [scale.id, scale]));
  for (const scale of document.scales ?? []) if (!scales.has(scale.id)) scales.set(scale.id, scale);
  return scales;
}

function duplicates<T>(items: readonly T[], key: (item: T) => string): number[] {
  const seen = new Set<string>();
  return items.flatMap((item, index) => {
    const k = key(item);
    if (seen.has(k)) return [index];
    seen.add(k);
    return [];
  });
}

/** The question types each imported field can pre-fill without a map of values (with one: choices too). */
const PREFILL_TYPES: Record<PrefillField, readonly Question['type'][]> = {
  caseType: ['single-choice', 'multiple-choice'],
  ageYears: ['number'],
  disability: ['yes-no-na', 'yes-no'],
  legalStatus: ['single-choice', 'multiple-choice'],
  categoryOfAbuse: ['single-choice', 'multiple-choice'],
  placementType: ['single-choice', 'multiple-choice'],
  uasc: ['yes-no-na', 'yes-no'],
  missingEpisodes: ['number'],
  startDate: ['date'],
};

/**
 * A pre-fill suits its question: a date from the start date, a number from a number; a choice from any
 * other field, and with a map of values a choice or yes/no from any field but the start date; every
 * mapped answer is one the question takes.
 */
function checkPrefill(
  question: Question,
  at: string,
  scales: Map<string, Scale>,
  defaultScale: string,
  problem: (pointer: string, message: string) => void,
): void {
  const { from, values } = question.prefill as Prefill;
  const answers = question.type === 'grade' ? undefined : answersOf(question, scales, defaultScale);
  const direct = PREFILL_TYPES[from].includes(question.type);
  const mapped = values !== undefined && answers !== undefined && from !== 'startDate';
  if (!direct && !mapped) {
    problem(
      `${at}/from`,
      `cannot pre-fill a ${question.type} question from ${from}${answers && from !== 'startDate' ? ' without values' : ''}`,
    );
    return;
  }
  if (values && !answers) problem(`${at}/values`, `are only for choice and yes/no questions`);
  for (const [imported, answer] of Object.entries(values ?? {})) {
    if (answers && !answers.includes(answer))
      problem(
        `${at}/values/${imported}`,
        `"${answer}" is not an answer of "${question.id}" (${answers.join(', ')})`,
      );
  }
}

/**
 * The checks a schema cannot express: ids are unique, references point at things that exist, grade codes
 * belong to the scale in use, each question type has the fields it needs and no others, and conditions test
 * earlier questions and real case facts.
 */
export function checkSemantics(document: FrameworkDocument): FrameworkProblem[] {
  const problems: FrameworkProblem[] = [];
  const problem = (pointer: string, message: string) => problems.push({ pointer, message });
  const scales = scalesOf(document);
  const builtIn = new Map(BUILT_IN_SCALES.map((scale) => [scale.id, scale]));
  const defaultScale = document.defaultScale ?? DEFAULT_SCALE;
  const scaleExists = (pointer: string, id: string) => {
    if (!scales.has(id))
      problem(pointer, `names the scale "${id}", which is neither built in nor defined in scales`);
    return scales.has(id);
  };
  /** Codes must be grades of the scale; `at` says where each one is (a list index, or a descriptor key). */
  const checkCodes = (
    codes: readonly string[],
    scaleId: string,
    what: string,
    at: (index: number, code: string) => string,
  ) => {
    const known = new Set(scales.get(scaleId)?.levels.map((level) => level.code));
    codes.forEach((code, i) => {
      if (scales.has(scaleId) && !known.has(code)) {
        problem(at(i, code), `"${code}" is not a grade of the scale "${scaleId}" used by ${what}`);
      }
    });
  };

  (document.scales ?? []).forEach((scale, s) => {
    const twin = builtIn.get(scale.id);
    if (twin && canonicalJson(twin) !== canonicalJson(scale)) {
      problem(`/scales/${s}/id`, `"${scale.id}" is a built-in scale: give your own scale another id`);
    }
    for (const index of duplicates(scale.levels, (level) => level.code)) {
      problem(`/scales/${s}/levels/${index}/code`, `repeats the level code "${scale.levels[index]?.code}"`);
    }
    if (rankedLevels(scale).length < 2)
      problem(`/scales/${s}/levels`, 'must have at least 2 levels that are not "not applicable"');
  });
  for (const index of duplicates(document.scales ?? [], (scale) => scale.id)) {
    problem(`/scales/${index}/id`, `repeats the scale id "${document.scales?.[index]?.id}"`);
  }
  if (document.defaultScale) scaleExists('/defaultScale', document.defaultScale);

  /** Sections and parts in order, each with its JSON pointer. */
  let s = -1;
  let p = -1;
  const blocks = blocksOf(document).map((entry) => {
    if (entry.parentId) p += 1;
    else [s, p] = [s + 1, -1];
    return { ...entry, pointer: entry.parentId ? `/sections/${s}/parts/${p}` : `/sections/${s}` };
  });
  for (const index of duplicates(blocks, (entry) => entry.block.id)) {
    const entry = blocks[index];
    if (entry)
      problem(
        `${entry.pointer}/id`,
        entry.parentId
          ? `repeats the id "${entry.block.id}": section and part ids must be unique in the framework`
          : `repeats the section id "${entry.block.id}"`,
      );
  }
  const questions = blocks.flatMap((entry) =>
    entry.block.questions.map((question, q) => ({ question, pointer: `${entry.pointer}/questions/${q}` })),
  );
  for (const index of duplicates(questions, (entry) => entry.question.id)) {
    const entry = questions[index];
    if (entry)
      problem(
        `${entry.pointer}/id`,
        `repeats the question id "${entry.question.id}": ids must be unique in the framework`,
      );
  }

  const seenQuestions = new Map<string, Question>();
  const context = (self?: string): ConditionContext => ({
    earlier: seenQuestions,
    all: new Set(questions.map((entry) => entry.question.id)),
    self,
    scales,
    defaultScale,
    problem,
  });
  const sectionScale = new Map<string, string | undefined>();
  for (const { block, parentId, grading, pointer: at } of blocks) {
    const graded = grading !== 'none';
    const scaleId = graded ? (block.scale ?? defaultScale) : undefined;
    const what = parentId ? 'parts' : 'sections';
    if (!parentId) sectionScale.set(block.id, scaleId);
    for (const field of ['scale', 'descriptors', 'gradePrompt', 'rationalePrompt'] as const) {
      if (!graded && block[field] !== undefined)
        problem(
          `${at}/${field}`,
          `${field === 'descriptors' ? 'are' : 'is'} only for graded ${what} (this one has no grade)`,
        );
    }
    if (block.scale && graded) scaleExists(`${at}/scale`, block.scale);
    if (scaleId && block.descriptors) {
      checkCodes(
        Object.keys(block.descriptors),
        scaleId,
        `${parentId ? 'part' : 'section'} "${block.id}"`,
        (_, code) => `${at}/descriptors/${code}`,
      );
    }
    if (block.relevantWhen) checkCondition(block.relevantWhen, `${at}/relevantWhen`, context());
    if (!parentId) checkParts(block, at, scaleId, defaultScale, problem);
    block.questions.forEach((question, q) => {
      checkQuestion(question, `${at}/questions/${q}`, scales, defaultScale, problem);
      if (question.relevantWhen)
        checkCondition(question.relevantWhen, `${at}/questions/${q}/relevantWhen`, context(question.id));
      seenQuestions.set(question.id, question);
    });
  }

  checkOverall(document, sectionScale, defaultScale, checkCodes, scaleExists, problem);
  (document.remediation?.triggers ?? []).forEach((trigger, t) => {
    const at = `/remediation/triggers/${t}`;
    if (trigger.on === 'overall') {
      if (trigger.sections) problem(`${at}/sections`, 'are only for triggers on section grades');
      checkCodes(
        trigger.grades,
        document.overall.scale ?? defaultScale,
        'the overall grade',
        (i) => `${at}/grades/${i}`,
      );
      return;
    }
    const ids =
      trigger.sections ?? [...sectionScale.keys()].filter((id) => sectionScale.get(id) !== undefined);
    (trigger.sections ?? []).forEach((id, i) => {
      if (!sectionScale.has(id)) problem(`${at}/sections/${i}`, `"${id}" is not a section of this framework`);
      else if (sectionScale.get(id) === undefined) problem(`${at}/sections/${i}`, `"${id}" is not graded`);
    });
    const used = new Set(
      ids.map((id) => sectionScale.get(id)).filter((scale): scale is string => scale !== undefined),
    );
    for (const scale of used)
      checkCodes(trigger.grades, scale, 'the sections it applies to', (i) => `${at}/grades/${i}`);
  });
  checkDates(document, problem);
  return problems;
}

type Problem = (pointer: string, message: string) => void;

/** Each question type has the fields it needs and no others; evidence and raised actions suit it. */
function checkQuestion(
  question: Question,
  pointer: string,
  scales: Map<string, Scale>,
  defaultScale: string,
  problem: Problem,
): void {
  const isChoice = CHOICE_TYPES.has(question.type);
  if (isChoice && !question.options)
    problem(`${pointer}/options`, `are required for a ${question.type} question`);
  if (!isChoice && question.options)
    problem(`${pointer}/options`, `are only for single-choice and multiple-choice questions`);
  for (const index of duplicates(question.options ?? [], (option) => option.value)) {
    problem(
      `${pointer}/options/${index}/value`,
      `repeats the option value "${question.options?.[index]?.value}"`,
    );
  }
  if (question.type === 'grade') {
    if (question.scale && !scales.has(question.scale))
      problem(
        `${pointer}/scale`,
        `names the scale "${question.scale}", which is neither built in nor defined in scales`,
      );
  } else if (question.scale) {
    problem(`${pointer}/scale`, 'is only for grade questions');
  }
  if (question.type !== 'number') {
    for (const field of ['min', 'max', 'integer'] as const) {
      if (question[field] !== undefined) problem(`${pointer}/${field}`, 'is only for number questions');
    }
  } else if (question.min !== undefined && question.max !== undefined && question.min > question.max) {
    problem(`${pointer}/max`, `must not be less than min (${question.min})`);
  }
  if (question.prefill) checkPrefill(question, `${pointer}/prefill`, scales, defaultScale, problem);
  if (question.evidencePrompt !== undefined && !question.evidence)
    problem(`${pointer}/evidencePrompt`, 'is only for questions with evidence (optional or required)');
  if (question.raisesAction) {
    const answers = answersOf(question, scales, defaultScale);
    if (!answers)
      problem(
        `${pointer}/raisesAction`,
        `is only for questions with set answers (yes / no, choices, grades), not ${question.type}`,
      );
    question.raisesAction.answers.forEach((answer, i) => {
      if (answers && !answers.includes(answer))
        problem(
          `${pointer}/raisesAction/answers/${i}`,
          `"${answer}" is not an answer of "${question.id}" (${answers.join(', ')})`,
        );
    });
  }
}

/** A parts rule needs parts; lowest-part needs a graded section and graded parts on the section's scale. */
function checkParts(
  section: Section,
  at: string,
  scaleId: string | undefined,
  defaultScale: string,
  problem: Problem,
): void {
  if (section.partsRule && !section.parts) problem(`${at}/partsRule`, 'is only for sections with parts');
  if (section.partsRule !== 'lowest-part' || !section.parts) return;
  if (!scaleId) {
    problem(`${at}/partsRule`, 'lowest-part needs the section graded (this one has no grade)');
    return;
  }
  const graded = section.parts.filter((part) => gradingOf(part) !== 'none');
  if (graded.length === 0) problem(`${at}/partsRule`, 'lowest-part needs at least one graded part');
  section.parts.forEach((part, i) => {
    const partScale = part.scale ?? defaultScale;
    if (gradingOf(part) !== 'none' && partScale !== scaleId)
      problem(
        `${at}/parts/${i}/scale`,
        `lowest-part needs the parts graded on the section's scale ("${scaleId}"), and "${part.id}" uses "${partScale}"`,
      );
  });
}

/** The overall rule suits the grading; capping sections exist and are graded on the overall scale. */
function checkOverall(
  document: FrameworkDocument,
  sectionScale: Map<string, string | undefined>,
  defaultScale: string,
  checkCodes: (
    codes: readonly string[],
    scaleId: string,
    what: string,
    at: (i: number, c: string) => string,
  ) => void,
  scaleExists: (pointer: string, id: string) => boolean,
  problem: Problem,
): void {
  const overall = document.overall;
  const overallScale = overall.scale ?? defaultScale;
  if (overall.grading === 'none') {
    for (const field of ['rule', 'cappedBy', 'descriptors', 'gradePrompt', 'rationalePrompt'] as const)
      if (overall[field] !== undefined)
        problem(`/overall/${field}`, 'is only for a graded overall judgement (this one has grading none)');
    return;
  }
  if (!overall.rule) problem('/overall/rule', 'is required unless grading is none');
  if (overall.scale) scaleExists('/overall/scale', overall.scale);
  if (overall.descriptors) {
    checkCodes(
      Object.keys(overall.descriptors),
      overallScale,
      'the overall grade',
      (_, code) => `/overall/descriptors/${code}`,
    );
  }
  if (overall.rule === 'capped-by-sections' && !overall.cappedBy) {
    problem('/overall/cappedBy', 'is required when the rule is capped-by-sections');
  }
  if (overall.rule !== 'capped-by-sections' && overall.cappedBy) {
    problem('/overall/cappedBy', 'is only for the capped-by-sections rule');
  }
  (overall.cappedBy ?? []).forEach((id, i) => {
    if (!sectionScale.has(id))
      problem(`/overall/cappedBy/${i}`, `"${id}" is not a section of this framework`);
    else if (sectionScale.get(id) === undefined)
      problem(`/overall/cappedBy/${i}`, `"${id}" is not graded, so it cannot cap the overall grade`);
    else if (sectionScale.get(id) !== overallScale) {
      problem(
        `/overall/cappedBy/${i}`,
        `"${id}" is graded on another scale than the overall grade ("${overallScale}")`,
      );
    }
  });
  if (overall.rule === 'lowest-section') {
    const graded = [...sectionScale.entries()].filter(([, scale]) => scale !== undefined);
    if (graded.length === 0) problem('/overall/rule', 'lowest-section needs at least one graded section');
    for (const [id, scale] of graded) {
      if (scale !== overallScale) {
        problem(
          '/overall/rule',
          `lowest-section needs every graded section on the overall scale, and "${id}" uses "${scale}"`,
        );
      }
    }
  }
}

/** The look-back judges no more than it reads, and the effective date is a real date. */
function checkDates(document: FrameworkDocument, problem: Problem): void {
  const { lookBack, effectiveFrom } = document;
  if (lookBack && lookBack.judgeMonths > lookBack.recordMonths)
    problem('/lookBack/judgeMonths', `must not be more than recordMonths (${lookBack.recordMonths})`);
  if (effectiveFrom !== undefined) {
    const date = new Date(`${effectiveFrom}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== effectiveFrom)
      problem('/effectiveFrom', `"${effectiveFrom}" is not a real date`);
  }
}
