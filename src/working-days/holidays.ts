import Holidays from 'date-holidays';
import { dayNumber, isWeekend } from './arithmetic';

/**
 * England and Wales bank holidays, from the `date-holidays` package (country GB, region ENG; Wales has the
 * same bank holidays). Of what it lists for a year, the bank holidays are its `public` and `bank` days
 * (not `observance`s such as Mother's Day) that fall on a weekday: when Christmas Day, Boxing Day or New
 * Year's Day falls on a weekend it lists the day itself and the substitute weekday, and the substitute is
 * the bank holiday, as gov.uk publishes them. One-off days (a coronation, a state funeral) are in its data.
 */
const england = new Holidays('GB', 'ENG');
const BANK_HOLIDAY_TYPES: ReadonlySet<string> = new Set(['public', 'bank']);

const byYear = new Map<number, ReadonlySet<string>>();
const byRange = new Map<string, ReadonlySet<string>>();

function checkYear(year: number): void {
  if (!Number.isSafeInteger(year) || year < 1000 || year > 9999)
    throw new RangeError(`${year} is not a year from 1000 to 9999`);
}

/** The bank holidays of one year, as ISO dates: worked out once, then kept. */
export function bankHolidaysIn(year: number): ReadonlySet<string> {
  let days = byYear.get(year);
  if (!days) {
    checkYear(year);
    days = new Set(
      england
        .getHolidays(year)
        .filter((holiday) => BANK_HOLIDAY_TYPES.has(holiday.type))
        .map((holiday) => holiday.date.slice(0, 10))
        .filter((day) => !isWeekend(day))
        .sort(),
    );
    byYear.set(year, days);
  }
  return days;
}

/** The bank holidays of the years `fromYear` to `toYear` (both included), as ISO dates, in date order. */
export function bankHolidays(fromYear: number, toYear: number): ReadonlySet<string> {
  const key = `${fromYear}-${toYear}`;
  let days = byRange.get(key);
  if (!days) {
    checkYear(fromYear);
    checkYear(toYear);
    if (toYear < fromYear) throw new RangeError(`${toYear} is before ${fromYear}`);
    const all: string[] = [];
    for (let year = fromYear; year <= toYear; year += 1) all.push(...bankHolidaysIn(year));
    days = new Set(all);
    byRange.set(key, days);
  }
  return days;
}

/** Whether an ISO date is an England and Wales bank holiday. */
export function isBankHoliday(day: string): boolean {
  dayNumber(day);
  return bankHolidaysIn(Number(day.slice(0, 4))).has(day);
}
