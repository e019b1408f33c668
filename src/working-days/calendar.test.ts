import { calendarOf } from './calendar';

/** The council's Christmas shutdown of 2026: the working days between Boxing Day and New Year's Day. */
const SHUTDOWN = ['2026-12-31', '2026-12-29', '2026-12-30'];

describe('the working-day calendar', () => {
  const calendar = calendarOf(SHUTDOWN);
  const banksOnly = calendarOf([]);

  it('keeps its closure days, in date order', () => {
    expect(calendar.closureDays).toEqual(['2026-12-29', '2026-12-30', '2026-12-31']);
  });

  it.each([
    // Christmas 2026: Friday 25 December, the weekend, Monday 28 December (Boxing Day's substitute),
    // three closure days, then Friday 1 January and another weekend.
    ['2026-12-24', 1, '2027-01-04'],
    ['2026-12-23', 2, '2027-01-04'],
    ['2026-12-23', 3, '2027-01-05'],
    ['2026-12-26', 0, '2027-01-04'],
    ['2026-12-18', 10, '2027-01-11'],
    // Easter 2027: Good Friday 26 March and Easter Monday 29 March.
    ['2027-03-25', 1, '2027-03-30'],
    ['2027-03-22', 10, '2027-04-07'],
  ])('from %s, %i working days on is %s', (start, n, due) => {
    expect(calendar.addWorkingDays(start, n)).toBe(due);
    expect(calendar.workingDaysBetween(start, due)).toBe(Math.max(n, 1));
  });

  it('without the shutdown, works the days between Christmas and New Year', () => {
    expect(banksOnly.addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    expect(banksOnly.workingDaysBetween('2026-12-24', '2027-01-04')).toBe(4);
    expect(calendar.workingDaysBetween('2026-12-24', '2027-01-04')).toBe(1);
  });

  it('skips a closure day around Easter too', () => {
    const easter = calendarOf(['2027-04-01']);
    expect(easter.addWorkingDays('2027-03-22', 10)).toBe('2027-04-08');
    expect(easter.isWorkingDay('2027-04-01')).toBe(false);
    expect(easter.isWorkingDay('2027-03-26')).toBe(false);
    expect(easter.isWorkingDay('2027-03-30')).toBe(true);
  });

  it('counts how late something is in working days', () => {
    // Due on Christmas Eve, still open on 5 January: two working days late (4 and 5 January).
    expect(calendar.workingDaysBetween('2026-12-24', '2027-01-05')).toBe(2);
    expect(calendar.workingDaysBetween('2027-01-05', '2026-12-24')).toBe(-2);
  });

  it('knows which days are working days', () => {
    expect(calendar.isWorkingDay('2026-12-24')).toBe(true);
    expect(calendar.isWorkingDay('2026-12-25')).toBe(false);
    expect(calendar.isWorkingDay('2026-12-28')).toBe(false);
    expect(calendar.isWorkingDay('2026-12-30')).toBe(false);
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false);
    expect(banksOnly.isWorkingDay('2026-12-30')).toBe(true);
  });

  it('knows the bank holidays of whichever years it is asked about, in any order', () => {
    const fresh = calendarOf([]);
    expect(fresh.isWorkingDay('2026-12-25')).toBe(false);
    expect(fresh.isWorkingDay('2030-12-25')).toBe(false);
    expect(fresh.isWorkingDay('2028-01-03')).toBe(false); // a year between the two asked about first
    expect(fresh.isWorkingDay('2024-12-26')).toBe(false);
    expect(fresh.isWorkingDay('2025-04-21')).toBe(false);
    expect(fresh.workingDaysBetween('2024-12-24', '2031-01-02')).toBe(
      calendarOf([]).workingDaysBetween('2024-12-24', '2031-01-02'),
    );
    expect(fresh.isWorkingDay('2028-01-04')).toBe(true);
  });
});
