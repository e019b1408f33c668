/**
 * Small-number suppression: one rule for every figure the service reports, wherever it is shown
 * (page, API, PDF, export), so that no count of one to four cases can be read off any of them.
 *
 * What is withheld, and when:
 *
 * 1. A count of 1 to 4 is withheld and written "fewer than 5". A count of 0 is shown: that nothing
 *    happened discloses nothing about anybody. A count of 5 or more is shown.
 * 2. The same rule applies to a denominator: one of 1 to 4 is written "fewer than 5".
 * 3. A percentage and its 95% confidence interval are withheld when the numerator or the denominator
 *    is 1 to 4 (so 0 of 3 shows its 0, but no "0%"). With a denominator of 0 there is no percentage at
 *    all; that is not a suppression, there is nothing to divide by.
 * 4. A percentage that rounds to 0% although something was counted is written "less than 1%", and one
 *    that rounds to 100% although something was not is written "more than 99%", so that rounding never
 *    reads as "none" or "all".
 *
 * What the formatter writes ({@link formatFigure}):
 *
 *   32 of 48   "32 of 48 (67%, 95% CI 53% to 78%)"
 *   0 of 48    "0 of 48 (0%, 95% CI 0% to 7%)"
 *   3 of 48    "fewer than 5 of 48"
 *   0 of 3     "0 of fewer than 5"
 *   3 of 4     "fewer than 5"
 *   0 of 0     "0 of 0"
 *   5 of 1001  "5 of 1,001 (less than 1%, 95% CI 0% to 1%)"
 *
 * Not covered here, for whoever lays figures side by side: a figure whose complement is 1 to 4 (45 of
 * 48 lets a reader work out that 3 did not pass) and figures that can be subtracted from one another (a
 * total and all but one of its parts). Both need a look at the whole table, not one figure.
 */
import { formatCount, formatPercent, formatRange } from './format';
import { assertCounts, wilsonInterval } from './wilson';

/** Counts from 1 up to (not including) this are withheld. */
export const SUPPRESSION_LIMIT = 5;
export const FEWER_THAN_LIMIT = `fewer than ${SUPPRESSION_LIMIT}`;

export interface Count {
  /** The count, or null when it is withheld (1 to 4). */
  count: number | null;
  /** "32", "0", "1,234" or "fewer than 5". */
  display: string;
  suppressed: boolean;
}

export interface Figure extends Count {
  /** The denominator, or null when it is withheld (1 to 4). */
  denominator: number | null;
  denominatorDisplay: string;
  /** count ÷ denominator × 100, unrounded; null when withheld or when the denominator is 0. */
  percent: number | null;
  /** "67%", "less than 1%", "more than 99%"; null when there is no percent. */
  percentDisplay: string | null;
  /** The 95% Wilson score interval in percent (0 to 100); null when there is no percent. */
  interval: { lower: number; upper: number } | null;
  /** "53% to 78%"; null when there is no interval. */
  intervalDisplay: string | null;
  /** True when the count, the denominator, or the percent and interval were withheld. */
  suppressed: boolean;
}

const isSmall = (n: number): boolean => n >= 1 && n < SUPPRESSION_LIMIT;

/** A count on its own: 0 and 5 or more are shown, 1 to 4 are "fewer than 5". */
export function suppressCount(count: number): Count {
  assertCounts(count, count);
  return isSmall(count)
    ? { count: null, display: FEWER_THAN_LIMIT, suppressed: true }
    : { count, display: formatCount(count), suppressed: false };
}

/** "67%", but never "0%" for something or "100%" for less than everything. */
function headlinePercent(count: number, denominator: number): string {
  const percent = (count * 100) / denominator;
  if (count > 0 && percent < 0.5) return 'less than 1%';
  if (count < denominator && percent >= 99.5) return 'more than 99%';
  return formatPercent(count / denominator);
}

/** A count out of a denominator, with its percentage and 95% interval, ready to show. */
export function suppressFigure({ count, denominator }: { count: number; denominator: number }): Figure {
  assertCounts(count, denominator);
  const numerator = suppressCount(count);
  const base = suppressCount(denominator);
  const interval = numerator.suppressed || base.suppressed ? null : wilsonInterval(count, denominator);
  return {
    ...numerator,
    denominator: base.count,
    denominatorDisplay: base.display,
    percent: interval && (count * 100) / denominator,
    percentDisplay: interval && headlinePercent(count, denominator),
    interval: interval && { lower: interval.lower * 100, upper: interval.upper * 100 },
    intervalDisplay: interval && formatRange(formatPercent(interval.lower), formatPercent(interval.upper)),
    suppressed: numerator.suppressed || base.suppressed,
  };
}

/**
 * "32 of 48 (67%, 95% CI 53% to 78%)", or its withheld forms: "fewer than 5 of 48", "0 of fewer than 5",
 * "fewer than 5". See the table at the top of this file.
 */
export function formatFigure(figure: Figure): string {
  if (figure.count === null && figure.denominator === null) return FEWER_THAN_LIMIT;
  const counts = `${figure.display} of ${figure.denominatorDisplay}`;
  if (figure.percentDisplay === null || figure.intervalDisplay === null) return counts;
  return `${counts} (${figure.percentDisplay}, 95% CI ${figure.intervalDisplay})`;
}
