/**
 * Working-day arithmetic over calendar dates (ISO YYYY-MM-DD strings, no times and no time zones): how
 * remediation due dates are set and how late they are. A working day is a Monday to Friday that is not
 * closed; `closed` holds the other days the council does not work (bank holidays and its own closure days),
 * and may be a Set of ISO dates or anything else that answers `has`. Pure: no clock, no database.
 */

/** The days that are not working days besides Saturdays and Sundays: a Set of ISO dates will do. */
export interface ClosedDays {
  has(day: string): boolean;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** More closed days in a row than any calendar has: beyond it, `closed` must be closing every day. */
const LONGEST_CLOSURE = 366;

/** Days since 1 January 1970 of an ISO date; a RangeError for anything that is not a real date. */
export function dayNumber(day: string): number {
  const match = ISO_DATE.exec(day);
  if (match) {
    const [, year, month, date] = match.map(Number) as [number, number, number, number];
    const at = new Date(0);
    at.setUTCFullYear(year, month - 1, date);
    if (at.getUTCMonth() === month - 1 && at.getUTCDate() === date) return Math.round(at.getTime() / DAY_MS);
  }
  throw new RangeError(`${JSON.stringify(day)} is not a date (YYYY-MM-DD)`);
}

/** Day numbers whose ISO dates are kept once made (1900 to 2199): counting asks for the same days often. */
const CACHED_FROM = -25_567;
const CACHED_TO = 84_005;
const isoCache: string[] = new Array<string>(CACHED_TO - CACHED_FROM + 1).fill('');

/** The ISO date of a day number (days since 1 January 1970). */
export function isoDay(n: number): string {
  if (n < CACHED_FROM || n > CACHED_TO) return new Date(n * DAY_MS).toISOString().slice(0, 10);
  return (isoCache[n - CACHED_FROM] ||= new Date(n * DAY_MS).toISOString().slice(0, 10));
}

/** Whether an ISO date is a real date: 2026-02-29 is not. */
export function isIsoDate(day: unknown): day is string {
  if (typeof day !== 'string') return false;
  try {
    dayNumber(day);
    return true;
  } catch {
    return false;
  }
}

/** 0 for Sunday to 6 for Saturday, of a day number (1 January 1970 was a Thursday). */
const weekdayOf = (n: number) => (((n + 4) % 7) + 7) % 7;
const isWeekendNumber = (n: number) => {
  const weekday = weekdayOf(n);
  return weekday === 0 || weekday === 6;
};

/** Whether an ISO date is a Saturday or a Sunday. */
export function isWeekend(day: string): boolean {
  return isWeekendNumber(dayNumber(day));
}

function workingNumber(n: number, closed: ClosedDays): boolean {
  return !isWeekendNumber(n) && !closed.has(isoDay(n));
}

/** Whether the council works on this day: a weekday that is not closed. */
export function isWorkingDay(day: string, closed: ClosedDays): boolean {
  return workingNumber(dayNumber(day), closed);
}

/**
 * The date `n` working days after `start`: with n = 1, the next working day after it. `start` itself need
 * not be a working day (an audit submitted on a Saturday counts from the Monday). With n = 0 it is `start`
 * when that is a working day, and otherwise the next working day: the first day on or after `start` that
 * something can be due. `n` is a whole number, zero or more.
 */
export function addWorkingDays(start: string, n: number, closed: ClosedDays): string {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${n} is not a number of working days (a whole number, zero or more)`);
  let day = dayNumber(start);
  let left = n;
  let closedRun = 0;
  if (left === 0) {
    if (workingNumber(day, closed)) return start;
    left = 1;
  }
  while (left > 0) {
    day += 1;
    if (workingNumber(day, closed)) {
      left -= 1;
      closedRun = 0;
    } else if ((closedRun += 1) > LONGEST_CLOSURE) {
      throw new RangeError(`There is no working day in the year after ${isoDay(day - closedRun)}`);
    }
  }
  return isoDay(day);
}

/**
 * How many working days there are after `from`, up to and including `to`: 1 from a working day to the next,
 * 0 when `to` is `from`. When `to` is before `from` the count is negative (minus the working days after `to`
 * up to and including `from`), so `workingDaysBetween(due, today) > 0` says a due date has passed, by that
 * many working days.
 */
export function workingDaysBetween(from: string, to: string, closed: ClosedDays): number {
  const first = dayNumber(from);
  const last = dayNumber(to);
  if (last < first) return -workingDaysBetween(to, from, closed);
  let count = 0;
  for (let day = first + 1; day <= last; day += 1) if (workingNumber(day, closed)) count += 1;
  return count;
}
