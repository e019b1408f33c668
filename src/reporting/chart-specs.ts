import type { GradeBarsSpec, SpcSpec } from './pdf/model';
import type { Trend } from './trends';

/** GOV.UK colours for a scale's levels, best first; further levels repeat the last. */
const GRADE_COLOURS = ['#00703c', '#1d70b8', '#f47738', '#d4351c'];

/** A distribution's levels as a report shows them: a count, or null where it is withheld. */
type Levels = readonly { code: string; label: string; count: number | null }[];

/**
 * Grade bars for rows of distributions; a row with a withheld count is left out (its width would give the
 * count away; its table says why). Undefined when no row can be drawn.
 */
export function gradeBarsSpec(rows: readonly { label: string; levels: Levels }[]): GradeBarsSpec | undefined {
  const shown = rows.filter((r) => r.levels.length > 0 && r.levels.every((l) => l.count !== null));
  const first = shown[0];
  if (!first) return undefined;
  return {
    kind: 'grade-bars',
    grades: first.levels.map((l, i) => ({
      code: l.code,
      label: l.label,
      colour: GRADE_COLOURS[Math.min(i, GRADE_COLOURS.length - 1)] as string,
    })),
    rows: shown.map((r) => ({
      label: r.label,
      counts: Object.fromEntries(r.levels.map((l) => [l.code, l.count ?? 0])),
    })),
  };
}

/** A trend's SPC chart, in proportions as the chart layouts take them; undefined when there is none. */
export function spcSpec(trend: Trend): SpcSpec | undefined {
  if (trend.points.length === 0 || trend.centrePercent === null || !trend.limits) return undefined;
  return {
    kind: 'spc',
    points: trend.points.map((p) => ({ label: p.month, value: p.percent / 100, variation: p.variation })),
    mean: trend.centrePercent / 100,
    upper: trend.limits.upper / 100,
    lower: trend.limits.lower / 100,
    trial: trend.trial,
    ...(trend.targetPercent === null ? {} : { target: trend.targetPercent / 100 }),
    format: 'percent',
  };
}
