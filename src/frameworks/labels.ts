import { scaleById } from './overall-grade';
import { YES_NO_NA_LABELS } from './scales';
import type { Condition, Framework, JudgementArea, Question } from './types';

/** A grade's label on its scale ("Requires improvement"); an unknown code shows as itself. */
export function gradeLabel(framework: Framework, scaleId: string, code: string): string {
  return scaleById(framework, scaleId).levels.find((l) => l.code === code)?.label ?? code;
}

/** An answer as the auditor chose it: the option's, scale's or yes / no label. */
export function answerLabel(framework: Framework, question: Question | undefined, value: string): string {
  if (!question) return value;
  if (question.type === 'yes-no-na') return YES_NO_NA_LABELS[value] ?? value;
  if (question.type === 'grade' && question.scale) return gradeLabel(framework, question.scale, value);
  return question.options?.find((o) => o.value === value)?.label ?? value;
}

/** "Only asked when “Is the child in care?” is Yes". */
export function relevanceText(framework: Framework, condition: Condition | undefined): string | undefined {
  if (!condition) return undefined;
  const controller = framework.sections.flatMap((s) => s.questions).find((q) => q.id === condition.question);
  const values = condition.in ?? [condition.equals ?? condition.includes ?? ''];
  const answers = values.map((v) => answerLabel(framework, controller, v)).join(' or ');
  const verb = condition.includes !== undefined ? 'includes' : 'is';
  return `Only asked when “${controller?.text ?? condition.question}” ${verb} ${answers}`;
}

/** The ILACS inspection judgement areas a section may inform, in words. */
export const JUDGEMENT_AREA_LABELS: Record<JudgementArea, string> = {
  'impact-of-leaders': 'Impact of leaders',
  'help-and-protection': 'Help and protection',
  'children-in-care': 'Children in care',
  'care-leavers': 'Care leavers',
  'overall-effectiveness': 'Overall effectiveness',
};
