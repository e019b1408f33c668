/**
 * One plain-English sentence about the latest point of an SPC chart, for the dashboard and board pack.
 *
 * It never calls a change within the limits (common cause variation) an improvement or a concern: that
 * is "no significant change", however the latest month compares with the one before. With special
 * cause variation it names the rules met and says whether that is an improvement or a concern, and
 * with trial limits it says they are provisional.
 */
import { formatNumber, formatPercent, formatRange } from './format';
import { BASELINE_POINTS, type Rule, type SpcPoint, type SpcResult } from './spc';

export interface NarrativeOptions {
  /** How a value is written; a p-chart's values are percentages ("67%"), others numbers ("12.5"). */
  formatValue?: (value: number) => string;
  /** The period each point covers, singular: "month" unless told. */
  period?: string;
}

const KIND = {
  improvement: 'an improvement',
  concern: 'a concern',
  neither: 'neither an improvement nor a concern, as neither direction is better for this measure',
} as const;

/** How many points in a row, counting back from the latest, meet `test`. */
function countBack(
  points: readonly SpcPoint[],
  test: (point: SpcPoint, before: SpcPoint | undefined) => boolean,
): number {
  let count = 0;
  for (let i = points.length - 1; i >= 0 && test(points[i] as SpcPoint, points[i - 1]); i--) count++;
  return count;
}

/**
 * "No significant change in {measureName}: the latest value (67%) is within the expected range (52% to
 * 81%)." `measureName` is written as it reads in the middle of a sentence ("audits graded good or
 * better"). A null result (too few points to chart) gets a sentence saying so.
 */
export function narrative(
  result: SpcResult | null,
  measureName: string,
  { formatValue, period = 'month' }: NarrativeOptions = {},
): string {
  const periods = `${period}s`;
  if (!result) return `There are not yet enough ${periods} of data to chart ${measureName}.`;
  const show = formatValue ?? (result.chart === 'p' ? formatPercent : formatNumber);
  const { points } = result;
  const latest = points[points.length - 1] as SpcPoint;
  const { limits, side } = latest;
  const trial = result.trial
    ? `; the limits are provisional, worked out from only ${points.length} ${points.length === 1 ? period : periods} (${BASELINE_POINTS} are needed to fix them)`
    : '';
  const value = show(latest.value);

  if (latest.variation === 'common' || !side) {
    const range = formatRange(show(limits.lower), show(limits.upper));
    return `No significant change in ${measureName}: the latest value (${value}) is within the expected range (${range})${trial}.`;
  }

  const high = side === 'high';
  const limitName = high
    ? `the upper limit (${show(limits.upper)})`
    : `the lower limit (${show(limits.lower)})`;
  const has = (rule: Rule): boolean => latest.rules.includes(rule);
  const clauses = [
    has('outside-limits')
      ? `the latest value (${value}) is ${high ? 'above' : 'below'} ${limitName}`
      : `the latest value is ${value}`,
  ];
  if (has('shift')) {
    const run = countBack(points, (p) => (high ? p.value > result.centre : p.value < result.centre));
    clauses.push(
      `there have been ${run} ${periods} in a row ${high ? 'above' : 'below'} the average (${show(result.centre)})`,
    );
  }
  if (has('trend')) {
    // The trend's own direction, which may differ from the side other rules gave the point.
    const rising = latest.value > (points[points.length - 2]?.value ?? latest.value);
    const moved = (p: SpcPoint, before: SpcPoint | undefined): boolean =>
      !!before && (rising ? p.value > before.value : p.value < before.value);
    // A trend of k rises (or falls) is k + 1 points.
    const run = 1 + countBack(points, moved);
    clauses.push(
      `there have been ${run} ${periods} in a row each ${rising ? 'higher' : 'lower'} than the one before`,
    );
  }
  if (has('two-of-three')) {
    const lastThree = points.slice(-3);
    const beyond = lastThree.filter((p) =>
      high ? p.value > p.limits.upperOuterThird : p.value < p.limits.lowerOuterThird,
    ).length;
    clauses.push(`${beyond} of the last ${lastThree.length} ${periods} have been close to ${limitName}`);
  }
  return `Significant change in ${measureName}, ${KIND[latest.variation]}: ${clauses.join(', and ')}${trial}.`;
}
