import type { Executor } from '../db/transaction';
import { addWorkingDays, isWorkingDay, workingDaysBetween, type ClosedDays } from './arithmetic';
import { bankHolidaysIn } from './holidays';
import { closureDayRepository } from './repository';

/**
 * The council's working days: Monday to Friday, less England and Wales bank holidays and the council's
 * closure days. Dates are ISO dates (YYYY-MM-DD); the rules are those of src/working-days/arithmetic.ts.
 */
export interface WorkingDayCalendar {
  /** Whether the council works on this day. */
  isWorkingDay(day: string): boolean;
  /** The date n working days after start (n = 0: start, or the next working day when start is not one). */
  addWorkingDays(start: string, n: number): string;
  /** Working days after `from` up to and including `to`; negative when `to` is before `from`. */
  workingDaysBetween(from: string, to: string): number;
  /** The days this calendar closes besides weekends and bank holidays, earliest first. */
  readonly closureDays: readonly string[];
}

/**
 * These days and the bank holidays of the years asked about, in one set: the bank holidays of every year
 * from the first asked about to the last join it as the range grows, so each question is one look-up.
 */
function withBankHolidays(days: ReadonlySet<string>): ClosedDays {
  const closed = new Set(days);
  /** The years whose bank holidays are in the set, and the first and last days of that range. */
  let years: { from: number; to: number } | undefined;
  let first = '9999';
  let last = '';
  const load = (from: number, to: number) => {
    for (let year = from; year <= to; year += 1) for (const day of bankHolidaysIn(year)) closed.add(day);
  };
  return {
    has(day) {
      if (day < first || day > last) {
        const year = Number(day.slice(0, 4));
        if (!years) load(year, year);
        else if (year < years.from) load(year, years.from - 1);
        else load(years.to + 1, year);
        years = { from: Math.min(year, years?.from ?? year), to: Math.max(year, years?.to ?? year) };
        first = `${years.from}-01-01`;
        last = `${years.to}-12-31`;
      }
      return closed.has(day);
    },
  };
}

/** A calendar closed on bank holidays (of any year) and on these closure days. Pure. */
export function calendarOf(closureDays: Iterable<string>): WorkingDayCalendar {
  const closures = new Set(closureDays);
  const closed = withBankHolidays(closures);
  return {
    isWorkingDay: (day) => isWorkingDay(day, closed),
    addWorkingDays: (start, n) => addWorkingDays(start, n, closed),
    workingDaysBetween: (from, to) => workingDaysBetween(from, to, closed),
    closureDays: [...closures].sort(),
  };
}

/**
 * The working-day calendar as it stands in this transaction: how another feature (remediation, setting due
 * dates inside a submission's transaction) reads the council's closure days without its repository.
 */
export async function workingDayCalendar(ex: Executor): Promise<WorkingDayCalendar> {
  return calendarOf(await closureDayRepository.days(ex));
}
