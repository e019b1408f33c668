import { gradeRank, scaleById } from '../frameworks/overall-grade';
import { rankedLevels } from '../frameworks/scales';
import type { Framework } from '../frameworks/types';

/** A grade that met one of the framework's remediation triggers. */
export interface Finding {
  on: 'overall' | 'section';
  /** The section graded, or "overall". */
  sectionId: string;
  grade: string;
  /** Whether the grade is the worst of its scale (Inadequate on Ofsted's). */
  worst: boolean;
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
export function obligationOf(framework: Framework, grades: readonly GivenGrade[]): Obligation | undefined {
  const triggers = framework.remediation?.triggers ?? [];
  const findings = new Map<string, Finding>();
  let responseWorkingDays = Infinity;
  let completionWorkingDays = Infinity;
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
  const list = [...findings.values()].sort((a, b) =>
    a.sectionId === 'overall' ? -1 : b.sectionId === 'overall' ? 1 : 0,
  );
  return {
    findings: list,
    responseWorkingDays,
    completionWorkingDays,
    responseRequired: list.some((f) => f.worst),
  };
}
