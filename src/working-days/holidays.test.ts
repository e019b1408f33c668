import { isWeekend } from './arithmetic';
import { bankHolidays, bankHolidaysIn, isBankHoliday } from './holidays';

/** England and Wales bank holidays as gov.uk publishes them (www.gov.uk/bank-holidays). */
const PUBLISHED: Record<number, string[]> = {
  2025: [
    '2025-01-01',
    '2025-04-18',
    '2025-04-21',
    '2025-05-05',
    '2025-05-26',
    '2025-08-25',
    '2025-12-25',
    '2025-12-26',
  ],
  2026: [
    '2026-01-01', // New Year's Day
    '2026-04-03', // Good Friday
    '2026-04-06', // Easter Monday
    '2026-05-04', // Early May bank holiday
    '2026-05-25', // Spring bank holiday
    '2026-08-31', // Summer bank holiday
    '2026-12-25', // Christmas Day
    '2026-12-28', // Boxing Day (substitute day: 26 December is a Saturday)
  ],
  2027: [
    '2027-01-01', // New Year's Day
    '2027-03-26', // Good Friday
    '2027-03-29', // Easter Monday
    '2027-05-03', // Early May bank holiday
    '2027-05-31', // Spring bank holiday
    '2027-08-30', // Summer bank holiday
    '2027-12-27', // Christmas Day (substitute day: 25 December is a Saturday)
    '2027-12-28', // Boxing Day (substitute day: 26 December is a Sunday)
  ],
};

describe('England and Wales bank holidays', () => {
  it.each(Object.entries(PUBLISHED))('are those gov.uk publishes for %s', (year, days) => {
    expect([...bankHolidaysIn(Number(year))]).toEqual(days);
  });

  it('move New Year’s Day on a Saturday to the Monday (2028)', () => {
    expect(isBankHoliday('2028-01-01')).toBe(false);
    expect(isBankHoliday('2028-01-03')).toBe(true);
  });

  it('keep one-off bank holidays: the coronation of King Charles III', () => {
    expect(isBankHoliday('2023-05-08')).toBe(true);
  });

  it('are weekdays only, eight or more a year, from 2024 to 2032', () => {
    for (let year = 2024; year <= 2032; year += 1) {
      const days = [...bankHolidaysIn(year)];
      expect(days.length).toBeGreaterThanOrEqual(8);
      expect(days.filter(isWeekend)).toEqual([]);
      expect(days.every((day) => day.startsWith(`${year}-`))).toBe(true);
    }
  });

  it('of several years are those of each year, worked out once', () => {
    const both = bankHolidays(2026, 2027);
    expect([...both]).toEqual([...PUBLISHED[2026]!, ...PUBLISHED[2027]!]);
    expect(bankHolidays(2026, 2027)).toBe(both);
    expect(bankHolidaysIn(2026)).toBe(bankHolidaysIn(2026));
  });

  it('refuse a range the wrong way round and years that are not years', () => {
    expect(() => bankHolidays(2027, 2026)).toThrow(RangeError);
    expect(() => bankHolidays(2026.5, 2027)).toThrow(RangeError);
    expect(() => bankHolidaysIn(99999)).toThrow(RangeError);
    expect(() => isBankHoliday('2026-02-30')).toThrow(RangeError);
  });
});
