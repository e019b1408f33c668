import fc from 'fast-check';
import {
  addWorkingDays,
  dayNumber,
  isIsoDate,
  isoDay,
  isWeekend,
  isWorkingDay,
  workingDaysBetween,
  type ClosedDays,
} from './arithmetic';
import { bankHolidays } from './holidays';

const FIRST = dayNumber('2024-01-01');
const LAST = dayNumber('2031-12-31');

/** A day from 2024 to 2031 (so that n working days later is still within the bank holidays known). */
const day = fc.integer({ min: FIRST, max: LAST }).map(isoDay);

/** Bank holidays and a few closure days on weekdays, as the council's calendar has them. */
const closed = fc
  .uniqueArray(day, { maxLength: 30 })
  .map(
    (closures): ClosedDays =>
      new Set([...bankHolidays(2024, 2033), ...closures.filter((d) => !isWeekend(d))]),
  );

const n = fc.integer({ min: 0, max: 260 });

describe('dates', () => {
  it('are ISO dates that exist', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', '26-12-2026', '', 'today'])
      expect([bad, isIsoDate(bad)]).toEqual([bad, false]);
    expect(isIsoDate(20261224)).toBe(false);
  });

  it('go to day numbers and back unchanged', () => {
    fc.assert(fc.property(fc.integer({ min: -200_000, max: 2_900_000 }), (d) => dayNumber(isoDay(d)) === d));
  });

  it('know their weekends', () => {
    expect(isWeekend('2026-12-26')).toBe(true); // Saturday
    expect(isWeekend('2026-12-27')).toBe(true); // Sunday
    expect(isWeekend('2026-12-28')).toBe(false); // Monday
    expect(isWeekend('1970-01-01')).toBe(false); // Thursday
  });
});

describe('adding working days', () => {
  it('then counting back gives the number added', () => {
    fc.assert(
      fc.property(day, n, closed, (start, count, days) => {
        const end = addWorkingDays(start, count, days);
        // n = 0 from a day that is not a working day moves to the next one, one working day on.
        const expected = count === 0 && !isWorkingDay(start, days) ? 1 : count;
        return workingDaysBetween(start, end, days) === expected;
      }),
    );
  });

  it('never lands on a weekend, a bank holiday or a closure day', () => {
    fc.assert(
      fc.property(day, n, closed, (start, count, days) => {
        const end = addWorkingDays(start, count, days);
        return !isWeekend(end) && !days.has(end) && isWorkingDay(end, days);
      }),
    );
  });

  it('goes further for more days (never back), and strictly further from one day on', () => {
    fc.assert(
      fc.property(day, n, n, closed, (start, a, b, days) => {
        const [fewer, more] = a <= b ? [a, b] : [b, a];
        const near = addWorkingDays(start, fewer, days);
        const far = addWorkingDays(start, more, days);
        return near <= far && (fewer === 0 || fewer === more || near < far);
      }),
    );
  });

  it('skips no working day on the way from one day to the next', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 260 }), closed, (start, count, days) => {
        const from = dayNumber(addWorkingDays(start, count, days));
        const to = dayNumber(addWorkingDays(start, count + 1, days));
        for (let d = from + 1; d < to; d += 1) if (isWorkingDay(isoDay(d), days)) return false;
        return true;
      }),
    );
  });

  it('with none keeps a working day and moves any other day to the next working day', () => {
    const days = bankHolidays(2026, 2027);
    expect(addWorkingDays('2026-12-24', 0, days)).toBe('2026-12-24');
    expect(addWorkingDays('2026-12-26', 0, days)).toBe('2026-12-29'); // Saturday, then Sunday, then a bank holiday
    expect(addWorkingDays('2027-03-29', 0, days)).toBe('2027-03-30'); // Easter Monday
  });

  it('refuses a number of days that is not a whole number of at least zero, and a date that is not one', () => {
    const days = new Set<string>();
    expect(() => addWorkingDays('2026-12-24', -1, days)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-12-24', 1.5, days)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-12-24', Number.NaN, days)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-12-32', 1, days)).toThrow(RangeError);
    expect(() => workingDaysBetween('2026-12-24', 'soon', days)).toThrow(RangeError);
  });

  it('stops, rather than looping for ever, when nothing is a working day', () => {
    expect(() => addWorkingDays('2026-12-24', 1, { has: () => true })).toThrow(/no working day/);
  });
});

describe('counting working days between two dates', () => {
  it('is zero for the same day and changes sign when the dates swap', () => {
    fc.assert(
      fc.property(day, day, closed, (a, b, days) => {
        return (
          workingDaysBetween(a, a, days) === 0 &&
          workingDaysBetween(a, b, days) === -workingDaysBetween(b, a, days)
        );
      }),
    );
  });

  it('adds up across a day in between', () => {
    fc.assert(
      fc.property(day, day, day, closed, (a, b, c, days) => {
        return (
          workingDaysBetween(a, b, days) + workingDaysBetween(b, c, days) === workingDaysBetween(a, c, days)
        );
      }),
    );
  });

  it('counts the day it ends on, not the one it starts from', () => {
    const none = new Set<string>();
    expect(workingDaysBetween('2026-11-27', '2026-11-30', none)).toBe(1); // Friday to Monday
    expect(workingDaysBetween('2026-11-28', '2026-11-30', none)).toBe(1); // Saturday to Monday
    expect(workingDaysBetween('2026-11-30', '2026-11-28', none)).toBe(-1);
    expect(workingDaysBetween('2026-11-23', '2026-11-30', none)).toBe(5);
  });
});
