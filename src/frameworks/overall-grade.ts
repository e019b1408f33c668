import { rankedLevels } from './scales';
import type { Framework, Level, Scale } from './types';

export interface OverallConstraint {
  /** The grades the overall grade may take, best first. */
  allowed: string[];
  /** For the lowest-section rule, once sections are graded: the grade it must be. */
  computed?: string;
  /** Why the choice is limited, in words an auditor can act on. */
  explanation?: string;
}

export function scaleById(framework: Framework, id: string): Scale {
  const scale = framework.scales.find((s) => s.id === id);
  if (!scale) throw new Error(`framework ${framework.id} has no scale ${id}`);
  return scale;
}

/** A grade's place on its scale, 0 for the best; undefined for "not applicable" levels and unknown codes. */
export function gradeRank(
  framework: Framework,
  scaleId: string,
  grade: string | null | undefined,
): number | undefined {
  if (!grade) return undefined;
  const rank = rankedLevels(scaleById(framework, scaleId)).findIndex((l) => l.code === grade);
  return rank < 0 ? undefined : rank;
}

/** The sections whose grade bears on the overall grade under the framework's rule. */
export function limitingSections(framework: Framework): Framework['sections'] {
  const { rule, cappedBy = [], scale } = framework.overall;
  if (rule === 'capped-by-sections') return framework.sections.filter((s) => cappedBy.includes(s.id));
  if (rule === 'lowest-section') return framework.sections.filter((s) => s.graded && s.scale === scale);
  return [];
}

const labelOf = (levels: Level[], code: string) => levels.find((l) => l.code === code)?.label ?? code;

/**
 * Which overall grades the framework's rule allows, given the section grades so far. Auditor judgement
 * allows any grade; capped-by-sections allows none better than the worst capping section; lowest-section
 * allows only the lowest section grade. Sections not yet graded (or graded "not applicable") do not limit.
 */
export function overallConstraint(
  framework: Framework,
  sectionGrades: Record<string, string | undefined>,
): OverallConstraint {
  const levels = rankedLevels(scaleById(framework, framework.overall.scale));
  const all = levels.map((l) => l.code);
  const rank = (code: string | undefined) => (code === undefined ? -1 : all.indexOf(code));
  const graded = limitingSections(framework)
    .map((section) => ({ section, grade: sectionGrades[section.id] }))
    .filter(
      (entry): entry is { section: Framework['sections'][number]; grade: string } => rank(entry.grade) >= 0,
    );
  if (graded.length === 0) return { allowed: all };

  const worst = Math.max(...graded.map((entry) => rank(entry.grade)));
  const worstCode = all[worst] as string;
  const because = graded
    .filter((entry) => rank(entry.grade) === worst)
    .map((entry) => entry.section.title)
    .join(' and ');
  const label = labelOf(levels, worstCode);
  if (framework.overall.rule === 'lowest-section') {
    return {
      allowed: [worstCode],
      computed: worstCode,
      explanation: `The overall grade is the lowest section grade: ${label}, for ${because}.`,
    };
  }
  if (worst === 0) return { allowed: all };
  return {
    allowed: all.slice(worst),
    explanation: `The overall grade cannot be better than ${label} because ${because} is ${label}.`,
  };
}
