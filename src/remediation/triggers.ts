import { gradeRank, scaleById } from '../frameworks/overall-grade';
import { rankedLevels } from '../frameworks/scales';
import { blocksOf } from '../frameworks/blocks';
import type { Framework } from '../frameworks/types';

/**
 * A grade that met one of the framework's remediation triggers, or (on "answer") an answer that raises a
 * recommended action (the question's `raisesAction`).
 */
export interface Finding {
  on: 'overall' | 'section' | 'answer';
  /** The section (or part) graded or answered in, or "overall". */
  sectionId: string;
  /** The grade, or (on "answer") the answer that raised the action. */
  grade: string;
  /** Whether the grade is the worst of its scale (Inadequate on Ofsted's); never for an answer. */
  worst: boolean;
  /** On "answer": the question, the recommended action, its intended difference and timescale. */
  questionId?: string;
  action?: string;
  difference?: string;
  workingDays?: number;
}

/** The answers of a response, by section or part id, as remediation reads them. */
export type GivenAnswers = Record<string, { answers?: Record<string, unknown> } | undefined>;

/**
 * The recommended actions the answers raise: each question with `raisesAction` whose answer is (or, for
 * multiple choice, includes) one of its answers, in the framework's order. Only answers that apply are in a
 * submitted response, so only those raise actions.
 */
export function answerFindings(framework: Framework, sections: GivenAnswers): Finding[] {
  return blocksOf(framework).flatMap(({ block }) =>
    block.questions.flatMap((question): Finding[] => {
      const raises = question.raisesAction;
      const answer = sections[block.id]?.answers?.[question.id];
      if (!raises || answer === undefined) return [];
      const given = Array.isArray(answer)
        ? answer.filter((a): a is string => typeof a === 'string')
        : [typeof answer === 'object' && answer !== null ? (answer as { grade?: string }).grade : answer];
      const match = given.find((a) => typeof a === 'string' && raises.answers.includes(a));
      if (typeof match !== 'string') return [];
      return [
        {
          on: 'answer',
          sectionId: block.id,
          grade: match,
          worst: false,
          questionId: question.id,
          action: raises.action,
          difference: raises.difference,
          workingDays: raises.workingDays,
        },
      ];
    }),
  );
}

/** What an audit's grades oblige: the findings, and the shortest timescales of the triggers they met. */
export interface Obligation {
  findings: Finding[];
  responseWorkingDays: number;
  completionWorkingDays: number;
  /** A management response is required when any finding is the worst grade of its scale. */
  responseRequired: boolean;
}

/** A grade as audits record them: a section's (or "overall"), by code. */
export interface GivenGrade {
  sectionId: string;
  grade: string;
}

/** The scale a section (or "overall") is graded on. */
export function scaleOf(framework: Framework, sectionId: string): string {
  if (sectionId === 'overall') return framework.overall.scale;
  return framework.sections.find((s) => s.id === sectionId)?.scale ?? framework.defaultScale;
}

/**
 * The obligation an audit's grades (the agreed grades once moderated) put on the case's team, or undefined
 * when they meet none of the framework's `remediation.triggers`. A trigger on sections applies to those it
 * lists, or to every graded section; where several triggers are met, the shortest timescales apply.
 */
export function obligationOf(
  framework: Framework,
  grades: readonly GivenGrade[],
  raised: readonly Finding[] = [],
): Obligation | undefined {
  const triggers = framework.remediation?.triggers ?? [];
  const findings = new Map<string, Finding>();
  let responseWorkingDays = Infinity;
  let completionWorkingDays = Infinity;
  // A raised action is due within its own timescale, as a trigger's findings are within the trigger's.
  for (const finding of raised) {
    const days = finding.workingDays ?? Infinity;
    responseWorkingDays = Math.min(responseWorkingDays, days);
    completionWorkingDays = Math.min(completionWorkingDays, days);
    findings.set(`answer:${finding.questionId ?? ''}`, finding);
  }
  for (const trigger of triggers) {
    const met = grades.filter((g) => {
      if (!trigger.grades.includes(g.grade)) return false;
      if (trigger.on === 'overall') return g.sectionId === 'overall';
      return g.sectionId !== 'overall' && (!trigger.sections || trigger.sections.includes(g.sectionId));
    });
    if (met.length === 0) continue;
    responseWorkingDays = Math.min(responseWorkingDays, trigger.responseWorkingDays);
    completionWorkingDays = Math.min(completionWorkingDays, trigger.completionWorkingDays);
    for (const g of met) {
      const scale = scaleOf(framework, g.sectionId);
      const worst =
        gradeRank(framework, scale, g.grade) === rankedLevels(scaleById(framework, scale)).length - 1;
      findings.set(g.sectionId, { on: trigger.on, sectionId: g.sectionId, grade: g.grade, worst });
    }
  }
  if (findings.size === 0) return undefined;
  const order = (f: Finding) => (f.sectionId === 'overall' ? 0 : f.on === 'answer' ? 2 : 1);
  const list = [...findings.values()].sort((a, b) => order(a) - order(b));
  return {
    findings: list,
    responseWorkingDays,
    completionWorkingDays,
    responseRequired: list.some((f) => f.worst),
  };
}
