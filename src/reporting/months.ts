import { longDate } from '../dates';

/** Calendar months as reports count them: YYYY-MM, in UK time. */

/** The month `n` months after `month` (before, when negative). */
export function addMonths(month: string, n: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m - 1 + n, 1)).toISOString().slice(0, 7);
}

/** The months from `first` to `last`, both included. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  for (let month = first; month <= last && months.length < 600; month = addMonths(month, 1))
    months.push(month);
  return months;
}

/** The month's first and last days: the period a monthly report covers. */
export function periodOfMonth(month: string): { from: string; to: string } {
  const next = addMonths(month, 1);
  const [year, m] = next.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: new Date(Date.UTC(year, m - 1, 0)).toISOString().slice(0, 10) };
}

/** "November 2026". */
export const monthName = (month: string): string => longDate(`${month}-01`).replace(/^1 /, '');
