import type { AnswerCondition, CaseCondition, CaseFact, Condition } from './types';

/** The case facts conditions test, as the case list holds them: flags as "yes" / "no". */
export type CaseFacts = Partial<Record<CaseFact, string | number | undefined>>;

/** An answer as a condition sees it: text, a number, a list of choices, or a grade with its rationale. */
export type AnswerValue = string | number | string[] | { grade?: string; rationale?: string };

export const isAnswerCondition = (c: Condition): c is AnswerCondition => 'question' in c;
export const isCaseCondition = (c: Condition): c is CaseCondition => 'case' in c;

/** Every simple condition inside a condition, in order. */
export function simpleConditions(condition: Condition): (AnswerCondition | CaseCondition)[] {
  if ('all' in condition) return condition.all.flatMap(simpleConditions);
  if ('any' in condition) return condition.any.flatMap(simpleConditions);
  if ('not' in condition) return simpleConditions(condition.not);
  return [condition];
}

/** The questions a condition reads. */
export function questionsRead(condition: Condition | undefined): string[] {
  return condition
    ? simpleConditions(condition)
        .filter(isAnswerCondition)
        .map((c) => c.question)
    : [];
}

/** Whether the condition reads the case profile anywhere. */
export const readsCase = (condition: Condition | undefined): boolean =>
  condition !== undefined && simpleConditions(condition).some(isCaseCondition);

function answerHolds(condition: AnswerCondition, answer: AnswerValue | undefined): boolean {
  if (answer === undefined) return false;
  if (condition.includes !== undefined) return Array.isArray(answer) && answer.includes(condition.includes);
  const value = typeof answer === 'object' && !Array.isArray(answer) ? answer.grade : answer;
  const values = condition.in ?? (condition.equals !== undefined ? [condition.equals] : []);
  return typeof value === 'string' && values.includes(value);
}

function caseHolds(condition: CaseCondition, facts: CaseFacts | undefined): boolean {
  const fact = facts?.[condition.case];
  if (fact === undefined || fact === null || fact === '') return false;
  if (condition.atLeast !== undefined || condition.atMost !== undefined) {
    const n = typeof fact === 'number' ? fact : Number(fact);
    if (!Number.isFinite(n)) return false;
    return (
      (condition.atLeast === undefined || n >= condition.atLeast) &&
      (condition.atMost === undefined || n <= condition.atMost)
    );
  }
  const values = condition.in ?? (condition.equals !== undefined ? [condition.equals] : []);
  return values.includes(String(fact));
}

/** Whether a condition holds for the answers given so far and the case's facts. */
export function conditionHolds(
  condition: Condition,
  answerOf: (questionId: string) => AnswerValue | undefined,
  facts?: CaseFacts,
): boolean {
  if ('all' in condition) return condition.all.every((c) => conditionHolds(c, answerOf, facts));
  if ('any' in condition) return condition.any.some((c) => conditionHolds(c, answerOf, facts));
  if ('not' in condition) return !conditionHolds(condition.not, answerOf, facts);
  if (isCaseCondition(condition)) return caseHolds(condition, facts);
  return answerHolds(condition, answerOf(condition.question));
}
