import fc from 'fast-check';
import { dateAndTime, longDate } from './dates';

describe('dates in the GOV.UK style', () => {
  it.each([
    ['2026-12-23', '23 December 2026'],
    ['2026-03-29', '29 March 2026'],
    [new Date('2026-06-30T23:30:00Z'), '1 July 2026'],
    ['not a date', ''],
    [undefined, ''],
  ])('shows %p as %p', (value, shown) => {
    expect(longDate(value)).toBe(shown);
  });

  it('shows a moment with its UK time', () => {
    expect(dateAndTime(new Date('2026-12-23T15:04:00Z'))).toBe('23 December 2026 at 3:04pm');
    expect(dateAndTime(new Date('2026-07-01T08:00:00Z'))).toBe('1 July 2026 at 9:00am');
  });

  it('shows every calendar day as the day it is, in any time zone', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [year, , day] = iso.split('-').map(Number);
          expect(longDate(iso)).toMatch(new RegExp(`^${day} [A-Z][a-z]+ ${year}$`));
        },
      ),
    );
  });
});
