import type { GradeCount } from './repository';

/** Grade counts of every audit a report covers, by framework version, section and grade. */
export type WholeCount = Omit<GradeCount, 'teamId' | 'caseType'>;

/** How many audits got one overall grade, in one team or of one case type. */
export interface OverallCount {
  frameworkId: string;
  frameworkVersion: string;
  grade: string;
  count: number;
}

/** The grade counts a report's figures are made from, each as the figures group them. */
export interface GradeViews {
  /** Every audit: each section's grades, and the overall grade with moderation's outcome. */
  whole: WholeCount[];
  /** Overall grades by team. */
  byTeam: (OverallCount & { teamId: number })[];
  /** Overall grades by case type. */
  byCaseType: (OverallCount & { caseType: string })[];
}

type Key = string | number | boolean | null;

const compareKeys = (a: Key, b: Key): number => {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : 1;
  return Number(a) - Number(b);
};

/**
 * Rows added up by the `keys` they share (each row has a count), ordered by those keys (nulls last): the
 * same rows whichever parts of a period they were read from, and in whichever order.
 */
export function sumBy<K extends string>(
  rows: readonly (Record<K, Key> & { count: number })[],
  keys: readonly K[],
): (Record<K, Key> & { count: number })[] {
  const sums = new Map<string, Record<K, Key> & { count: number }>();
  for (const row of rows) {
    const id = JSON.stringify(keys.map((k) => row[k]));
    const sum = sums.get(id);
    if (sum) sum.count += row.count;
    else {
      const picked = Object.fromEntries(keys.map((k) => [k, row[k]])) as unknown as Record<K, Key>;
      sums.set(id, { ...picked, count: row.count });
    }
  }
  return [...sums.values()].sort((a, b) => {
    for (const k of keys) {
      const order = compareKeys(a[k], b[k]);
      if (order !== 0) return order;
    }
    return 0;
  });
}

export const WHOLE_KEYS = [
  'frameworkId',
  'frameworkVersion',
  'sectionId',
  'grade',
  'auditorGrade',
  'moderatorGrade',
  'moderated',
] as const;
const VERSION_GRADE = ['frameworkId', 'frameworkVersion', 'grade'] as const;
export const TEAM_KEYS = ['teamId', ...VERSION_GRADE] as const;
export const CASE_TYPE_KEYS = ['caseType', ...VERSION_GRADE] as const;

/** Views added up together: the counts of several parts of a period as one. */
export function mergeViews(parts: readonly GradeViews[]): GradeViews {
  return {
    whole: sumBy(
      parts.flatMap((p) => p.whole),
      WHOLE_KEYS,
    ) as unknown as WholeCount[],
    byTeam: sumBy(
      parts.flatMap((p) => p.byTeam),
      TEAM_KEYS,
    ) as unknown as GradeViews['byTeam'],
    byCaseType: sumBy(
      parts.flatMap((p) => p.byCaseType),
      CASE_TYPE_KEYS,
    ) as unknown as GradeViews['byCaseType'],
  };
}

/** The views of grade counts read by team and case type. */
export function viewsOf(rows: readonly GradeCount[]): GradeViews {
  const overall = rows.filter((r) => r.sectionId === 'overall');
  return mergeViews([{ whole: [...rows], byTeam: overall, byCaseType: overall }]);
}
