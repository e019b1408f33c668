import { isCaseCondition } from './conditions';
import { YES_NO_NA } from './scales';
import {
  CASE_TYPES,
  type AnswerCondition,
  type CaseCondition,
  type CaseFact,
  type Condition,
  type Question,
  type Scale,
} from './types';

/** The answers a condition (or a raised action) may name for a question, or undefined when none can be. */
export function answersOf(
  question: Question,
  scales: Map<string, Scale>,
  defaultScale: string,
): string[] | undefined {
  switch (question.type) {
    case 'yes-no-na':
      return [...YES_NO_NA];
    case 'yes-no':
      return ['yes', 'no'];
    case 'single-choice':
    case 'multiple-choice':
      return question.options?.map((option) => option.value);
    case 'grade':
      return scales.get(question.scale ?? defaultScale)?.levels.map((level) => level.code);
    default:
      return undefined;
  }
}

export interface ConditionContext {
  /** The questions before the one (or the block) the condition is on, by id. */
  earlier: Map<string, Question>;
  /** Every question of the framework, to tell a later question from an unknown one. */
  all: Set<string>;
  /** The question the condition is on, if any. */
  self?: string;
  scales: Map<string, Scale>;
  defaultScale: string;
  problem: (pointer: string, message: string) => void;
}

const NUMBER_FACTS: readonly CaseFact[] = ['ageYears', 'missingEpisodes'];
const FLAG_FACTS: readonly CaseFact[] = ['disability', 'uasc'];

/** The values a case fact can take, when they are a fixed list. */
function factValues(fact: CaseFact): readonly string[] | undefined {
  if (fact === 'caseType') return CASE_TYPES;
  if (FLAG_FACTS.includes(fact)) return ['yes', 'no'];
  return undefined;
}

function checkCase(condition: CaseCondition, at: string, ctx: ConditionContext): void {
  const values = condition.in ?? (condition.equals !== undefined ? [condition.equals] : []);
  const tests = (['equals', 'in'] as const).filter((key) => condition[key] !== undefined);
  const bounds = (['atLeast', 'atMost'] as const).filter((key) => condition[key] !== undefined);
  const numeric = NUMBER_FACTS.includes(condition.case);
  if (tests.length + (bounds.length > 0 ? 1 : 0) !== 1) {
    ctx.problem(at, `must give exactly one of equals, in${numeric ? ', or atLeast / atMost' : ''}`);
    return;
  }
  if (bounds.length > 0 && !numeric) {
    ctx.problem(`${at}/${bounds[0]}`, 'atLeast and atMost are only for ageYears and missingEpisodes');
    return;
  }
  if (
    condition.atLeast !== undefined &&
    condition.atMost !== undefined &&
    condition.atLeast > condition.atMost
  )
    ctx.problem(`${at}/atMost`, `must not be less than atLeast (${condition.atLeast})`);
  const known = factValues(condition.case);
  values.forEach((value, i) => {
    const where = condition.in ? `${at}/in/${i}` : `${at}/equals`;
    if (known && !known.includes(value))
      ctx.problem(where, `"${value}" is not a value of ${condition.case} (${known.join(', ')})`);
    if (numeric && !/^(0|[1-9][0-9]*)$/.test(value))
      ctx.problem(where, `"${value}" is not a whole number, as ${condition.case} is`);
  });
}

function checkAnswer(condition: AnswerCondition, at: string, ctx: ConditionContext): void {
  const tests = (['equals', 'in', 'includes'] as const).filter((key) => condition[key] !== undefined);
  const controller = ctx.earlier.get(condition.question);
  if (tests.length !== 1) {
    ctx.problem(at, 'must give exactly one of equals, in or includes');
  } else if (condition.question === ctx.self) {
    ctx.problem(`${at}/question`, 'cannot be the question itself');
  } else if (!controller) {
    ctx.problem(
      `${at}/question`,
      ctx.all.has(condition.question)
        ? ctx.self
          ? `"${condition.question}" comes after this question: a question can only depend on an earlier one`
          : `"${condition.question}" is not asked before this block: a section or part can only depend on an earlier question`
        : `"${condition.question}" is not a question in this framework`,
    );
  } else {
    const answers = answersOf(controller, ctx.scales, ctx.defaultScale);
    const test = tests[0] as 'equals' | 'in' | 'includes';
    if (!answers) {
      ctx.problem(
        `${at}/question`,
        `"${controller.id}" is a ${controller.type} question, whose answers cannot be tested`,
      );
    } else if ((test === 'includes') !== (controller.type === 'multiple-choice')) {
      ctx.problem(
        `${at}/${test}`,
        controller.type === 'multiple-choice'
          ? `"${controller.id}" is a multiple-choice question: use includes`
          : 'includes is only for multiple-choice questions: use equals or in',
      );
    } else {
      const values = test === 'in' ? (condition.in ?? []) : [condition[test] as string];
      values.forEach((value, i) => {
        if (!answers.includes(value)) {
          ctx.problem(
            test === 'in' ? `${at}/in/${i}` : `${at}/${test}`,
            `"${value}" is not an answer of "${controller.id}" (${answers.join(', ')})`,
          );
        }
      });
    }
  }
}

/**
 * A condition, nested ones included, tests only earlier questions, with answers they take, and case facts
 * with values and bounds they can have.
 */
export function checkCondition(condition: Condition, at: string, ctx: ConditionContext): void {
  if ('all' in condition) condition.all.forEach((c, i) => checkCondition(c, `${at}/all/${i}`, ctx));
  else if ('any' in condition) condition.any.forEach((c, i) => checkCondition(c, `${at}/any/${i}`, ctx));
  else if ('not' in condition) checkCondition(condition.not, `${at}/not`, ctx);
  else if (isCaseCondition(condition)) checkCase(condition, at, ctx);
  else checkAnswer(condition, at, ctx);
}
