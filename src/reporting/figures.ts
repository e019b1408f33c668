import { gradeRank, scaleById } from '../frameworks/overall-grade';
import { rankedLevels } from '../frameworks/scales';
import type { Framework } from '../frameworks/types';
import { CASE_TYPE_LABELS } from '../cases/labels';
import { agreementStats, type AgreementStats, type GradePair } from '../moderation/agreement';
import { outcomeOf } from '../moderation/service';
import type { PlanCount, ReauditCount, TeamRow } from './repository';
import type { GradeViews, OverallCount } from './views';

/** A count out of a denominator: what every percentage in a report is made from. */
export interface Proportion {
  count: number;
  of: number;
}

export interface LevelCount {
  code: string;
  label: string;
  count: number;
}

/** How many audits got each level of one scale. */
export interface Distribution {
  scaleId: string;
  scaleLabel: string;
  levels: LevelCount[];
}

/** The overall grades of a group of audits: their distribution and the two headline measures. */
export interface GradeSummary {
  submitted: number;
  distributions: Distribution[];
  /** The better half of the overall scale (Outstanding or Good on Ofsted's). */
  goodOrBetter: Proportion;
  /** The worst level of the overall scale (Inadequate on Ofsted's). */
  inadequate: Proportion;
}

export interface Figures {
  plan: { planned: number; completed: number; overdue: number };
  planByTeam: ({ teamId: number; teamName: string } & PlanCount)[];
  overall: GradeSummary;
  byTeam: ({ teamId: number; teamName: string } & GradeSummary)[];
  byCaseType: ({ caseType: string; label: string } & GradeSummary)[];
  bySection: {
    frameworkId: string;
    sectionId: string;
    title: string;
    distribution: Distribution;
  }[];
  moderation: {
    moderated: number;
    upheld: number;
    upgraded: number;
    downgraded: number;
    /** Auditor and moderator (blind) overall grades compared: quadratic-weighted kappa and agreement. */
    agreement: AgreementStats;
  };
}

export type FrameworkOf = (id: string, version: string) => Framework;

/** Adds a count to a scale's distribution, creating it with every level at zero. */
function addTo(
  distributions: Map<string, Distribution>,
  framework: Framework,
  scaleId: string,
  grade: string,
  count: number,
) {
  const scale = scaleById(framework, scaleId);
  let distribution = distributions.get(scale.id);
  if (!distribution) {
    distribution = {
      scaleId: scale.id,
      scaleLabel: scale.label,
      levels: rankedLevels(scale).map((l) => ({ code: l.code, label: l.label, count: 0 })),
    };
    distributions.set(scale.id, distribution);
  }
  const level = distribution.levels.find((l) => l.code === grade);
  if (level) level.count += count;
}

/**
 * Where an overall grade stands on the two headline measures: good or better (the better half of the
 * overall scale: Outstanding or Good on Ofsted's) and inadequate (its worst level). Undefined for a grade
 * that is not on the scale (not applicable), which counts towards neither measure's denominator.
 */
export function headlineOf(
  framework: Framework,
  grade: string | null | undefined,
): { goodOrBetter: boolean; inadequate: boolean } | undefined {
  const scaleId = framework.overall.scale;
  const rank = gradeRank(framework, scaleId, grade);
  if (rank === undefined) return undefined;
  const levels = rankedLevels(scaleById(framework, scaleId)).length;
  return { goodOrBetter: rank < levels / 2, inadequate: rank === levels - 1 };
}

/** Adds `count` audits with this overall grade to the two headline measures. */
export function countHeadline(
  measures: Record<'goodOrBetter' | 'inadequate', Proportion>,
  framework: Framework,
  grade: string | null,
  count: number,
): void {
  const headline = headlineOf(framework, grade);
  if (!headline) return;
  measures.goodOrBetter.of += count;
  measures.inadequate.of += count;
  if (headline.goodOrBetter) measures.goodOrBetter.count += count;
  if (headline.inadequate) measures.inadequate.count += count;
}

/** The overall grades of these counts (already limited to one group; other sections' are passed over). */
function summarise(
  rows: readonly (OverallCount & { sectionId?: string })[],
  frameworkOf: FrameworkOf,
): GradeSummary {
  const distributions = new Map<string, Distribution>();
  const summary: GradeSummary = {
    submitted: 0,
    distributions: [],
    goodOrBetter: { count: 0, of: 0 },
    inadequate: { count: 0, of: 0 },
  };
  for (const row of rows) {
    if (row.sectionId !== undefined && row.sectionId !== 'overall') continue;
    const framework = frameworkOf(row.frameworkId, row.frameworkVersion);
    summary.submitted += row.count;
    addTo(distributions, framework, framework.overall.scale, row.grade, row.count);
    countHeadline(summary, framework, row.grade, row.count);
  }
  summary.distributions = [...distributions.values()];
  return summary;
}

function groupBy<K, T>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/**
 * Every figure of a report from the grouped counts the repository reads: plain counts and proportions,
 * not yet rounded or suppressed (presenting does that, the same way everywhere).
 */
export function figuresOf(
  input: { grades: GradeViews; planCounts: readonly PlanCount[]; teams: readonly TeamRow[] },
  frameworkOf: FrameworkOf,
): Figures {
  const teamName = new Map(input.teams.map((t) => [t.id, t.name]));
  const nameOf = (id: number) => teamName.get(id) ?? `Team ${id}`;
  const plan = input.planCounts.reduce(
    (sum, p) => ({
      planned: sum.planned + p.planned,
      completed: sum.completed + p.completed,
      overdue: sum.overdue + p.overdue,
    }),
    { planned: 0, completed: 0, overdue: 0 },
  );
  const bySection = new Map<string, Figures['bySection'][number]>();
  const moderation = { moderated: 0, upheld: 0, upgraded: 0, downgraded: 0 };
  const pairs: GradePair[] = [];
  let categories = 2;
  for (const row of input.grades.whole) {
    const framework = frameworkOf(row.frameworkId, row.frameworkVersion);
    if (row.sectionId === 'overall') {
      if (!row.moderated) continue;
      moderation.moderated += row.count;
      const scaleId = framework.overall.scale;
      const before = gradeRank(framework, scaleId, row.auditorGrade);
      const after = gradeRank(framework, scaleId, row.grade);
      const moderator = gradeRank(framework, scaleId, row.moderatorGrade);
      if (before !== undefined && moderator !== undefined) {
        categories = Math.max(categories, rankedLevels(scaleById(framework, scaleId)).length);
        for (let i = 0; i < row.count; i += 1) pairs.push({ auditor: before, moderator });
      }
      moderation[outcomeOf(before, after)] += row.count;
      continue;
    }
    const section = framework.sections.find((s) => s.id === row.sectionId);
    if (!section) continue;
    const scaleId = section.scale ?? framework.defaultScale;
    const key = `${row.frameworkId}/${row.sectionId}`;
    const distributions = new Map<string, Distribution>();
    const existing = bySection.get(key);
    if (existing) distributions.set(existing.distribution.scaleId, existing.distribution);
    addTo(distributions, framework, scaleId, row.grade, row.count);
    const distribution = distributions.get(scaleId) as Distribution;
    bySection.set(key, {
      frameworkId: row.frameworkId,
      sectionId: row.sectionId,
      title: section.title,
      distribution,
    });
  }
  return {
    plan,
    planByTeam: input.planCounts.map((p) => ({ ...p, teamName: nameOf(p.teamId) })),
    overall: summarise(input.grades.whole, frameworkOf),
    byTeam: [...groupBy(input.grades.byTeam, (r) => r.teamId)]
      .map(([teamId, rows]) => ({ teamId, teamName: nameOf(teamId), ...summarise(rows, frameworkOf) }))
      .sort((a, b) => a.teamName.localeCompare(b.teamName)),
    byCaseType: [...groupBy(input.grades.byCaseType, (r) => r.caseType)]
      .map(([caseType, rows]) => ({
        caseType,
        label: CASE_TYPE_LABELS[caseType] ?? caseType,
        ...summarise(rows, frameworkOf),
      }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    bySection: [...bySection.values()],
    moderation: { ...moderation, agreement: agreementStats(pairs, categories) },
  };
}

/** The middle value (the mean of the middle two of an even count); null when there are none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A re-audit's overall grade against the audit before it, as moderation compares a grade with the auditor's. */
const REAUDIT_OUTCOME = { upheld: 'same', upgraded: 'better', downgraded: 'worse' } as const;

/** Re-audits by whether the child's overall grade got better, stayed the same or got worse. */
export function reauditOutcomes(
  rows: readonly ReauditCount[],
  frameworkOf: FrameworkOf,
): { reaudited: number; better: number; same: number; worse: number } {
  const outcome = { reaudited: 0, better: 0, same: 0, worse: 0 };
  for (const row of rows) {
    const framework = frameworkOf(row.frameworkId, row.frameworkVersion);
    const before = gradeRank(framework, framework.overall.scale, row.before);
    const after = gradeRank(framework, framework.overall.scale, row.after);
    outcome.reaudited += row.count;
    outcome[REAUDIT_OUTCOME[outcomeOf(before, after)]] += row.count;
  }
  return outcome;
}
