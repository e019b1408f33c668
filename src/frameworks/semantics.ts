import { BUILT_IN_SCALES, DEFAULT_SCALE, YES_NO_NA, rankedLevels } from './scales';
import { canonicalJson } from './canonical-json';
import type {
  AnswerCondition,
  FrameworkDocument,
  FrameworkProblem,
  Prefill,
  PrefillField,
  Question,
  Scale,
} from './types';

const CHOICE_TYPES = new Set(['single-choice', 'multiple-choice']);

/** The scales a framework can use: the built-in ones (which its own cannot replace), and its own, by id. */
export function scalesOf(document: FrameworkDocument): Map<string, Scale> {
  const scales = new Map(BUILT_IN_SCALES.map((scale) => [scale.id, scale]));
  for (const scale of document.scales ?? []) if (!scales.has(scale.id)) scales.set(scale.id, scale);
  return scales;
}

/** The answers another question's relevance condition may test, or undefined when it cannot be tested. */
function answersOf(
  question: Question,
  scales: Map<string, Scale>,
  defaultScale: string,
): string[] | undefined {
  switch (question.type) {
    case 'yes-no-na':
      return [...YES_NO_NA];
    case 'single-choice':
    case 'multiple-choice':
      return question.options?.map((option) => option.value);
    case 'grade':
      return scales.get(question.scale ?? defaultScale)?.levels.map((level) => level.code);
    default:
      return undefined;
  }
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

/**
 * The checks a schema cannot express: ids are unique, references point at things that exist, grade codes
 * belong to the scale in use, and each question type has the fields it needs and no others.
 */
/** The question types each imported field can pre-fill without a map of values (with one: choices too). */
const PREFILL_TYPES: Record<PrefillField, readonly Question['type'][]> = {
  caseType: ['single-choice', 'multiple-choice'],
  ageYears: ['number'],
  disability: ['yes-no-na'],
  legalStatus: ['single-choice', 'multiple-choice'],
  categoryOfAbuse: ['single-choice', 'multiple-choice'],
  placementType: ['single-choice', 'multiple-choice'],
  uasc: ['yes-no-na'],
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

  for (const index of duplicates(document.sections, (section) => section.id)) {
    problem(`/sections/${index}/id`, `repeats the section id "${document.sections[index]?.id}"`);
  }
  const questions = document.sections.flatMap((section, s) =>
    section.questions.map((question, q) => ({ question, pointer: `/sections/${s}/questions/${q}` })),
  );
  for (const index of duplicates(questions, (entry) => entry.question.id)) {
    const entry = questions[index];
    if (entry)
      problem(
        `${entry.pointer}/id`,
        `repeats the question id "${entry.question.id}": ids must be unique in the framework`,
      );
  }

  const sectionScale = new Map<string, string | undefined>();
  document.sections.forEach((section, s) => {
    const at = `/sections/${s}`;
    const graded = section.graded ?? true;
    const scaleId = graded ? (section.scale ?? defaultScale) : undefined;
    sectionScale.set(section.id, scaleId);
    if (!graded && section.scale)
      problem(`${at}/scale`, 'is only for graded sections (this one has graded: false)');
    if (!graded && section.descriptors)
      problem(`${at}/descriptors`, 'are only for graded sections (this one has graded: false)');
    if (section.scale && graded) scaleExists(`${at}/scale`, section.scale);
    if (scaleId && section.descriptors) {
      checkCodes(
        Object.keys(section.descriptors),
        scaleId,
        `section "${section.id}"`,
        (_, code) => `${at}/descriptors/${code}`,
      );
    }
  });

  const seenQuestions = new Map<string, Question>();
  for (const { question, pointer } of questions) {
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
      if (question.scale) scaleExists(`${pointer}/scale`, question.scale);
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

    const condition = question.relevantWhen as AnswerCondition | undefined;
    if (condition) {
      const at = `${pointer}/relevantWhen`;
      const tests = (['equals', 'in', 'includes'] as const).filter((key) => condition[key] !== undefined);
      const controller = seenQuestions.get(condition.question);
      if (tests.length !== 1) {
        problem(at, 'must give exactly one of equals, in or includes');
      } else if (condition.question === question.id) {
        problem(`${at}/question`, 'cannot be the question itself');
      } else if (!controller) {
        const later = questions.some((entry) => entry.question.id === condition.question);
        problem(
          `${at}/question`,
          later
            ? `"${condition.question}" comes after this question: a question can only depend on an earlier one`
            : `"${condition.question}" is not a question in this framework`,
        );
      } else {
        const answers = answersOf(controller, scales, defaultScale);
        const test = tests[0] as 'equals' | 'in' | 'includes';
        if (!answers) {
          problem(
            `${at}/question`,
            `"${controller.id}" is a ${controller.type} question, whose answers cannot be tested`,
          );
        } else if ((test === 'includes') !== (controller.type === 'multiple-choice')) {
          problem(
            `${at}/${test}`,
            controller.type === 'multiple-choice'
              ? `"${controller.id}" is a multiple-choice question: use includes`
              : 'includes is only for multiple-choice questions: use equals or in',
          );
        } else {
          const values = test === 'in' ? (condition.in ?? []) : [condition[test] as string];
          values.forEach((value, i) => {
            if (!answers.includes(value)) {
              problem(
                test === 'in' ? `${at}/in/${i}` : `${at}/${test}`,
                `"${value}" is not an answer of "${controller.id}" (${answers.join(', ')})`,
              );
            }
          });
        }
      }
    }
    if (question.prefill) checkPrefill(question, `${pointer}/prefill`, scales, defaultScale, problem);
    seenQuestions.set(question.id, question);
  }

  const overall = document.overall;
  const overallScale = overall.scale ?? defaultScale;
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

  (document.remediation?.triggers ?? []).forEach((trigger, t) => {
    const at = `/remediation/triggers/${t}`;
    if (trigger.on === 'overall') {
      if (trigger.sections) problem(`${at}/sections`, 'are only for triggers on section grades');
      checkCodes(trigger.grades, overallScale, 'the overall grade', (i) => `${at}/grades/${i}`);
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

  return problems;
}
