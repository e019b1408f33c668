import { addMonths, periodOfMonth } from './months';
import { isIsoDate } from '../working-days/arithmetic';
import type { FieldError } from '../errors';

/** The period a report or an export covers: from `from` to `to`, UK dates (YYYY-MM-DD), both included. */
export interface Period {
  from: string;
  to: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A day as given, or a month's first day (`from`) or last day (`to`); undefined when it is neither. */
function dayOf(value: string, end: 'from' | 'to'): string | undefined {
  if (MONTH.test(value)) return end === 'from' ? `${value}-01` : periodOfMonth(value).to;
  return isIsoDate(value) ? value : undefined;
}

/** The same day three years earlier, as text: compared as text, 29 February needs no special case. */
const threeYearsBefore = (day: string) => `${Number(day.slice(0, 4)) - 3}${day.slice(4)}`;

/**
 * The period asked for, checked: each end a date or a month; by default the twelve calendar months to
 * `today` (this month and the eleven before it); at most three years. Problems name their field.
 */
export function periodOf(
  asked: { from?: string | undefined; to?: string | undefined },
  today: string,
): { period: Period; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const end = (field: 'from' | 'to') => {
    const value = asked[field];
    if (value === undefined) return undefined;
    const day = dayOf(value, field);
    if (day === undefined)
      problems.push({ field, message: 'must be a date (YYYY-MM-DD) or a month (YYYY-MM)' });
    return day;
  };
  const fromDay = end('from');
  const to = end('to') ?? today;
  const from = fromDay ?? `${addMonths(to.slice(0, 7), -11)}-01`;
  if (problems.length === 0 && from > to) problems.push({ field: 'from', message: 'must not be after to' });
  else if (problems.length === 0 && from <= threeYearsBefore(to))
    problems.push({ field: 'from', message: 'must be less than three years before to' });
  return { period: { from, to }, problems };
}
