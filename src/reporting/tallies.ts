import { addMonths, monthsBetween, periodOfMonth } from './months';

/**
 * How a report period is read: the whole months before the current one from the monthly tallies, the
 * rest (partial months at either edge, and the current month) from the audit tables.
 */
export interface PeriodSplit {
  /** Whole past months (YYYY-MM) read from the tallies. */
  months: string[];
  /** The parts of the period read from the audit tables (UK dates, both included). */
  raw: { from: string; to: string }[];
}

const dayBefore = (date: string) => new Date(Date.parse(date) - 86_400_000).toISOString().slice(0, 10);
const dayAfter = (date: string) => new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10);

/** The split of `from`..`to` (UK dates, both included) on `today`. */
export function splitPeriod(from: string, to: string, today: string): PeriodSplit {
  const startMonth = from.slice(0, 7);
  const first = from.endsWith('-01') ? startMonth : addMonths(startMonth, 1);
  const endMonth = to.slice(0, 7);
  const wholeLast = periodOfMonth(endMonth).to === to ? endMonth : addMonths(endMonth, -1);
  const beforeToday = addMonths(today.slice(0, 7), -1);
  const last = wholeLast < beforeToday ? wholeLast : beforeToday;
  if (first > last) return { months: [], raw: [{ from, to }] };
  const raw: { from: string; to: string }[] = [];
  const start = `${first}-01`;
  if (from < start) raw.push({ from, to: dayBefore(start) });
  const end = periodOfMonth(last).to;
  if (end < to) raw.push({ from: dayAfter(end), to });
  return { months: monthsBetween(first, last), raw };
}
