/**
 * Statistical process control (SPC) as NHS England's "Making Data Count" (MDC) does it: is a monthly
 * figure moving, or only varying as it always does?
 *
 * Definitions (the board pack's method appendix quotes this block)
 *
 * Charts
 * - XmR chart (individuals chart), one value a month:
 *   - centre line: the mean of the baseline values;
 *   - moving range: |x(i) − x(i−1)|, the change from one month to the next;
 *   - mR-bar: the mean of the baseline's moving ranges;
 *   - process limits: mean ± 2.66 × mR-bar (three sigma, sigma being estimated as mR-bar / 1.128);
 *   - outer third: beyond mean ± 1.77 × mR-bar (two sigma), the third of the way nearest each limit.
 * - p-chart, a proportion a month out of a number (n) that varies from month to month (Montgomery):
 *   - centre line: p-bar = Σ successes ÷ Σ n over the baseline;
 *   - process limits, for each month's own n(i): p-bar ± 3 × √(p-bar × (1 − p-bar) / n(i)), kept within
 *     0 and 1, so a small month has wider limits than a large one;
 *   - outer third: beyond p-bar ± 2 × √(p-bar × (1 − p-bar) / n(i)).
 *   {@link recommendChart} says which of the two to show; the report always names the chart shown.
 *
 * Baseline: the centre line and limits are worked out from the first 12 points and then fixed; later
 * points are judged against them. With fewer than 12 points they come from all the points and are
 * "trial limits" (`trial: true`): provisional, and they move as each month is added. An XmR chart needs
 * at least 2 points (one moving range); a p-chart 1.
 *
 * Special cause variation: a point is flagged by each rule it meets.
 * - outside-limits: above the upper or below the lower process limit (a point on a limit is inside).
 * - shift: one of a run of 7 or more points in a row on the same side of the centre line; a point on
 *   the line breaks the run. Every point of the run is flagged.
 * - trend: one of a run of 7 or more points in a row each higher than the one before (or each lower);
 *   an equal value breaks it. Every point of the run is flagged.
 * - two-of-three: 2 (or 3) of 3 points in a row beyond the outer third on the same side (a point beyond
 *   the limit counts); the points beyond are flagged.
 * A point flagged by none shows common cause variation: the month-to-month noise of a stable process.
 *
 * Direction: each measure says whether higher is better ('up'), lower is better ('down'), or neither.
 * A special-cause point is high or low: by its side of the centre line for outside-limits, shift and
 * two-of-three (these never disagree), and by its direction of travel (rising is high) for a trend
 * alone. A point that ends one trend and starts another takes the direction of the one it ends.
 * Its variation is then 'improvement' (blue in MDC) if that is the better side, 'concern' (orange) if
 * not, or 'neither' (purple) for a measure with no direction. A common-cause point is 'common' (grey).
 *
 * Variation icon, for the latest point (MDC's icons): common cause; special cause improvement, concern
 * or neither, each through high or low values ('improvement-high', 'concern-low', ...).
 *
 * Assurance icon, comparing a target with the latest point's process limits (none without a target or a
 * direction): both limits on the passing side of the target → 'consistently-passing' (MDC's "P"); both
 * on the failing side → 'consistently-failing' ("F"); the target between or on the limits → 'hit-and-miss'
 * (the process will sometimes meet the target and sometimes not, by chance alone).
 *
 * Narrative: narrative.ts writes one plain sentence about the latest point. A point within the limits
 * is "no significant change", never an improvement or a concern; with special cause it names the rules
 * met and whether that is an improvement or a concern; with trial limits it says they are provisional.
 *
 * Bounds (XmR only): limits beyond what a measure can reach (below 0 for a count) may be drawn at its
 * bound; as no value can pass a bound, this changes what is shown and no signal.
 *
 * Not done: MDC's optional screening of very large moving ranges, and recalculating limits after a
 * sustained change (a new baseline); both can be added as options.
 */
import { assertCounts } from './wilson';

export const BASELINE_POINTS = 12;
export const RUN_LENGTH = 7;
export const XMR_LIMIT_FACTOR = 2.66;
export const XMR_OUTER_THIRD_FACTOR = 1.77;

export type Direction = 'up' | 'down' | 'neither';
export type ChartType = 'xmr' | 'p';
export type Rule = 'outside-limits' | 'shift' | 'trend' | 'two-of-three';
export type Side = 'high' | 'low';
export type PointVariation = 'common' | 'improvement' | 'concern' | 'neither';
export type VariationIcon = 'common-cause' | `${Exclude<PointVariation, 'common'>}-${Side}`;
export type AssuranceIcon = 'consistently-passing' | 'consistently-failing' | 'hit-and-miss';

export const CHART_NAMES: Record<ChartType, string> = {
  xmr: 'XmR chart (individual values)',
  p: 'p-chart (proportions)',
};

/** MDC's names for its icons. */
export const VARIATION_ICON_NAMES: Record<VariationIcon, string> = {
  'common-cause': 'Common cause variation: no significant change',
  'improvement-high': 'Special cause variation of an improving nature, through higher values',
  'improvement-low': 'Special cause variation of an improving nature, through lower values',
  'concern-high': 'Special cause variation of a concerning nature, through higher values',
  'concern-low': 'Special cause variation of a concerning nature, through lower values',
  'neither-high': 'Special cause variation, neither improving nor concerning, through higher values',
  'neither-low': 'Special cause variation, neither improving nor concerning, through lower values',
};

export const ASSURANCE_ICON_NAMES: Record<AssuranceIcon, string> = {
  'consistently-passing': 'Variation indicates consistently passing the target',
  'consistently-failing': 'Variation indicates consistently falling short of the target',
  'hit-and-miss': 'Variation indicates inconsistently passing and falling short of the target',
};

export interface Limits {
  lower: number;
  upper: number;
  /** The outer third begins below this... */
  lowerOuterThird: number;
  /** ...and above this. */
  upperOuterThird: number;
}

export interface SpcPoint {
  value: number;
  /** The month's denominator on a p-chart; null on an XmR chart. */
  n: number | null;
  /** |value − previous value| on an XmR chart; null for the first point and on a p-chart. */
  movingRange: number | null;
  /** Whether the point is one of those the centre line and limits were worked out from. */
  inBaseline: boolean;
  limits: Limits;
  /** The rules the point meets, in the order outside-limits, shift, trend, two-of-three. */
  rules: Rule[];
  /** The side of the special-cause signal; null for common cause. */
  side: Side | null;
  variation: PointVariation;
}

export interface SpcResult {
  chart: ChartType;
  direction: Direction;
  centre: number;
  /** mR-bar on an XmR chart; null on a p-chart. */
  averageMovingRange: number | null;
  /** How many points the centre line and limits come from (12, or all of them when fewer). */
  baselinePoints: number;
  /** Trial limits: fewer than 12 points, so the limits are provisional. */
  trial: boolean;
  /** At least one point, oldest first. */
  points: SpcPoint[];
  variationIcon: VariationIcon;
  target: number | null;
  assurance: AssuranceIcon | null;
}

export interface SpcOptions {
  direction: Direction;
  /** A target in the measure's own units (a proportion from 0 to 1 on a p-chart). */
  target?: number | null;
  /**
   * XmR only: values the measure cannot pass (0 for a count; 0 and 100 for a percentage). Limits and
   * outer thirds beyond them are drawn at them, which changes no signal, only what is shown.
   */
  bounds?: { lower?: number; upper?: number };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]): number => sum(xs) / xs.length;

const sideOf = (value: number, centre: number): Side | null =>
  value > centre ? 'high' : value < centre ? 'low' : null;

function outside(value: number, limits: Limits): Side | null {
  return value > limits.upper ? 'high' : value < limits.lower ? 'low' : null;
}

function beyondOuterThird(value: number, limits: Limits): Side | null {
  return value > limits.upperOuterThird ? 'high' : value < limits.lowerOuterThird ? 'low' : null;
}

/** The runs of at least `length` equal, non-null keys in a row: [first index, last index, key]. */
function runsOf(keys: readonly (Side | null)[], length: number): [number, number, Side][] {
  const runs: [number, number, Side][] = [];
  let start = 0;
  for (let i = 1; i <= keys.length; i++) {
    if (i < keys.length && keys[i] === keys[start]) continue;
    const key = keys[start];
    if (key && i - start >= length) runs.push([start, i - 1, key]);
    start = i;
  }
  return runs;
}

interface Judged {
  rules: Rule[];
  side: Side | null;
}

/** Applies the four rules to every point; see the definitions at the top of this file. */
function judge(values: readonly number[], centre: number, limits: readonly Limits[]): Judged[] {
  const judged: Judged[] = values.map(() => ({ rules: [], side: null }));
  const flag = (i: number, rule: Rule, side: Side): void => {
    const point = judged[i];
    if (!point || point.rules.includes(rule)) return;
    point.rules.push(rule);
    point.side ??= side;
  };
  const limitsAt = (i: number): Limits => limits[i] as Limits;

  values.forEach((value, i) => {
    const side = outside(value, limitsAt(i));
    if (side) flag(i, 'outside-limits', side);
  });
  for (const [first, last, side] of runsOf(
    values.map((v) => sideOf(v, centre)),
    RUN_LENGTH,
  )) {
    for (let i = first; i <= last; i++) flag(i, 'shift', side);
  }
  for (let start = 0; start <= Math.max(0, values.length - 3); start++) {
    const window = [start, start + 1, start + 2].filter((i) => i < values.length);
    for (const side of ['high', 'low'] as const) {
      const beyond = window.filter((i) => beyondOuterThird(values[i] as number, limitsAt(i)) === side);
      if (beyond.length >= 2) for (const i of beyond) flag(i, 'two-of-three', side);
    }
  }
  // Trends come last, so that a point any other rule flags takes its side from that rule. Each step is
  // the move from the point before: a run of 6 rising steps is a run of 7 rising points.
  const steps = values.slice(1).map((v, i) => sideOf(v, values[i] as number));
  for (const [first, last, side] of runsOf(steps, RUN_LENGTH - 1)) {
    for (let i = first; i <= last + 1; i++) flag(i, 'trend', side);
  }
  const order: Rule[] = ['outside-limits', 'shift', 'trend', 'two-of-three'];
  for (const point of judged) point.rules.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return judged;
}

function variationOf(side: Side | null, direction: Direction): PointVariation {
  if (!side) return 'common';
  if (direction === 'neither') return 'neither';
  return (side === 'high') === (direction === 'up') ? 'improvement' : 'concern';
}

function assuranceOf(target: number | null, direction: Direction, limits: Limits): AssuranceIcon | null {
  if (target === null || direction === 'neither') return null;
  const [passing, failing] = direction === 'up' ? ['high', 'low'] : ['low', 'high'];
  const limitsSide = target < limits.lower ? 'high' : target > limits.upper ? 'low' : null;
  if (limitsSide === passing) return 'consistently-passing';
  if (limitsSide === failing) return 'consistently-failing';
  return 'hit-and-miss';
}

interface Series {
  chart: ChartType;
  values: readonly number[];
  ns: readonly (number | null)[];
  centre: number;
  averageMovingRange: number | null;
  baselinePoints: number;
  limits: readonly Limits[];
}

function analyse(series: Series, options: SpcOptions): SpcResult {
  const { values, centre, limits } = series;
  const target = options.target ?? null;
  const judged = judge(values, centre, limits);
  const points = values.map((value, i): SpcPoint => ({
    value,
    n: series.ns[i] ?? null,
    movingRange: series.chart === 'xmr' && i > 0 ? Math.abs(value - (values[i - 1] as number)) : null,
    inBaseline: i < series.baselinePoints,
    limits: limits[i] as Limits,
    rules: judged[i]?.rules ?? [],
    side: judged[i]?.side ?? null,
    variation: variationOf(judged[i]?.side ?? null, options.direction),
  }));
  const latest = points[points.length - 1] as SpcPoint;
  return {
    chart: series.chart,
    direction: options.direction,
    centre,
    averageMovingRange: series.averageMovingRange,
    baselinePoints: series.baselinePoints,
    trial: values.length < BASELINE_POINTS,
    points,
    variationIcon:
      latest.variation === 'common' || !latest.side ? 'common-cause' : `${latest.variation}-${latest.side}`,
    target,
    assurance: assuranceOf(target, options.direction, latest.limits),
  };
}

/** An XmR chart of monthly values, oldest first; null with fewer than 2 (no moving range yet). */
export function xmrChart(values: readonly number[], options: SpcOptions): SpcResult | null {
  const lowest = options.bounds?.lower ?? -Infinity;
  const highest = options.bounds?.upper ?? Infinity;
  for (const value of values) {
    if (!Number.isFinite(value) || value < lowest || value > highest) {
      throw new RangeError(`A value to chart must be a number within the measure's bounds, got ${value}`);
    }
  }
  if (values.length < 2) return null;
  const baseline = values.slice(0, BASELINE_POINTS);
  const centre = mean(baseline);
  const averageMovingRange = mean(baseline.slice(1).map((v, i) => Math.abs(v - (baseline[i] as number))));
  const at = (factor: number, sign: 1 | -1): number =>
    Math.min(highest, Math.max(lowest, centre + sign * factor * averageMovingRange));
  const limits: Limits = {
    lower: at(XMR_LIMIT_FACTOR, -1),
    upper: at(XMR_LIMIT_FACTOR, 1),
    lowerOuterThird: at(XMR_OUTER_THIRD_FACTOR, -1),
    upperOuterThird: at(XMR_OUTER_THIRD_FACTOR, 1),
  };
  return analyse(
    {
      chart: 'xmr',
      values,
      ns: [],
      centre,
      averageMovingRange,
      baselinePoints: baseline.length,
      limits: values.map(() => limits),
    },
    options,
  );
}

export interface Sample {
  successes: number;
  n: number;
}

/** A p-chart of monthly proportions (successes of n, n at least 1), oldest first; null when empty. */
export function pChart(samples: readonly Sample[], options: Omit<SpcOptions, 'bounds'>): SpcResult | null {
  for (const { successes, n } of samples) {
    assertCounts(successes, n);
    if (n === 0) throw new RangeError('A month charted on a p-chart must have a denominator of at least 1');
  }
  if (samples.length === 0) return null;
  const baseline = samples.slice(0, BASELINE_POINTS);
  const centre = sum(baseline.map((s) => s.successes)) / sum(baseline.map((s) => s.n));
  const clamp = (x: number): number => Math.min(1, Math.max(0, x));
  const limitsFor = (n: number): Limits => {
    const sigma = Math.sqrt((centre * (1 - centre)) / n);
    return {
      lower: clamp(centre - 3 * sigma),
      upper: clamp(centre + 3 * sigma),
      lowerOuterThird: clamp(centre - 2 * sigma),
      upperOuterThird: clamp(centre + 2 * sigma),
    };
  };
  return analyse(
    {
      chart: 'p',
      values: samples.map((s) => s.successes / s.n),
      ns: samples.map((s) => s.n),
      centre,
      averageMovingRange: null,
      baselinePoints: baseline.length,
      limits: samples.map((s) => limitsFor(s.n)),
    },
    options,
  );
}

/** A p-chart is recommended when any month's denominator is below this... */
export const SMALL_DENOMINATOR = 30;
/** ...or when the largest is more than this many times the smallest. */
export const DENOMINATOR_SPREAD = 1.5;

/**
 * Which chart to show for a monthly proportion, given each month's denominator, and why, in a sentence
 * the report can print. A p-chart when any month has fewer than 30, or the largest month is more than
 * 1.5 times the smallest: then each month's own limits matter, as a month of 12 audits swings far
 * more by chance than one of 60. Otherwise an XmR chart of the proportions, MDC's usual chart, whose
 * limits come from the data's own month-to-month variation. With no months yet, a p-chart.
 */
export function recommendChart(denominators: readonly number[]): { chart: ChartType; reason: string } {
  if (denominators.length === 0) {
    return { chart: 'p', reason: `A ${CHART_NAMES.p} is used: there are no months yet.` };
  }
  const fewest = Math.min(...denominators);
  const most = Math.max(...denominators);
  if (fewest < SMALL_DENOMINATOR) {
    return {
      chart: 'p',
      reason: `A ${CHART_NAMES.p} is used because some months are small: the smallest has ${fewest}, fewer than ${SMALL_DENOMINATOR}.`,
    };
  }
  if (most > DENOMINATOR_SPREAD * fewest) {
    return {
      chart: 'p',
      reason: `A ${CHART_NAMES.p} is used because the months vary in size, from ${fewest} to ${most}: the largest is more than ${DENOMINATOR_SPREAD} times the smallest.`,
    };
  }
  return {
    chart: 'xmr',
    reason: `An ${CHART_NAMES.xmr} is used because every month has at least ${SMALL_DENOMINATOR} and the largest is no more than ${DENOMINATOR_SPREAD} times the smallest.`,
  };
}
