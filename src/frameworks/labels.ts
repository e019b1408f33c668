import { scaleById } from './overall-grade';
import { YES_NO_NA_LABELS } from './scales';
import type { CaseFact, Condition, Framework, JudgementArea, Question } from './types';

/** A grade's label on its scale ("Requires improvement"); an unknown code shows as itself. */
export function gradeLabel(framework: Framework, scaleId: string, code: string): string {
  return scaleById(framework, scaleId).levels.find((l) => l.code === code)?.label ?? code;
}

/** An answer as the auditor chose it: the option's, scale's or yes / no label. */
export function answerLabel(framework: Framework, question: Question | undefined, value: string): string {
  if (!question) return value;
  if (question.type === 'yes-no-na' || question.type === 'yes-no') return YES_NO_NA_LABELS[value] ?? value;
  if (question.type === 'grade' && question.scale) return gradeLabel(framework, question.scale, value);
  return question.options?.find((o) => o.value === value)?.label ?? value;
}

/** "Only asked when “Is the child in care?” is Yes". */
const CASE_FACT_LABELS: Record<CaseFact, string> = {
  caseType: 'the case type',
  ageYears: 'the child’s age',
  disability: 'disability',
  legalStatus: 'the legal status',
  categoryOfAbuse: 'the category of abuse',
  placementType: 'the placement type',
  uasc: 'unaccompanied asylum seeker',
  missingEpisodes: 'missing episodes',
};

/** A condition in words, e.g. “Police involved” is Yes and the child’s age is at least 10. */
export function conditionText(framework: Framework, condition: Condition): string {
  if ('all' in condition) return condition.all.map((c) => conditionText(framework, c)).join(' and ');
  if ('any' in condition) return `(${condition.any.map((c) => conditionText(framework, c)).join(' or ')})`;
  if ('not' in condition) return `not (${conditionText(framework, condition.not)})`;
  if ('case' in condition) {
    const fact = CASE_FACT_LABELS[condition.case];
    if (condition.atLeast !== undefined && condition.atMost !== undefined)
      return `${fact} is ${condition.atLeast} to ${condition.atMost}`;
    if (condition.atLeast !== undefined) return `${fact} is at least ${condition.atLeast}`;
    if (condition.atMost !== undefined) return `${fact} is at most ${condition.atMost}`;
    return `${fact} is ${(condition.in ?? [condition.equals ?? '']).join(' or ')}`;
  }
  const controller = framework.sections.flatMap((s) => s.questions).find((q) => q.id === condition.question);
  const values = condition.in ?? [condition.equals ?? condition.includes ?? ''];
  const answers = values.map((v) => answerLabel(framework, controller, v)).join(' or ');
  const verb = condition.includes !== undefined ? 'includes' : 'is';
  return `“${controller?.text ?? condition.question}” ${verb} ${answers}`;
}

export function relevanceText(framework: Framework, condition: Condition | undefined): string | undefined {
  return condition ? `Only asked when ${conditionText(framework, condition)}` : undefined;
}

/** The ILACS inspection judgement areas a section may inform, in words. */
export const JUDGEMENT_AREA_LABELS: Record<JudgementArea, string> = {
  'impact-of-leaders': 'Impact of leaders',
  'help-and-protection': 'Help and protection',
  'children-in-care': 'Children in care',
  'care-leavers': 'Care leavers',
  'overall-effectiveness': 'Overall effectiveness',
};

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const months = (n: number) => (n === 1 ? 'month' : `${n} months`);

/**
 * What the auditor is told at the top of an audit: how far back to read and judge, and when this version
 * takes effect ("Read the last 12 months of the record; judge the last 6 months").
 */
export function periodText(framework: Pick<Framework, 'lookBack' | 'effectiveFrom'>): string[] {
  const lines: string[] = [];
  if (framework.lookBack) {
    const { recordMonths, judgeMonths } = framework.lookBack;
    lines.push(`Read the last ${months(recordMonths)} of the record; judge the last ${months(judgeMonths)}.`);
  }
  const date = framework.effectiveFrom && /^(\d{4})-(\d{2})-(\d{2})$/.exec(framework.effectiveFrom);
  if (date)
    lines.push(
      `This version takes effect on ${Number(date[3])} ${MONTH_NAMES[Number(date[2]) - 1]} ${date[1]}.`,
    );
  return lines;
}
