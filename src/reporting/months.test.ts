import { addMonths, monthsBetween, periodOfMonth } from './months';

describe('months', () => {
  it('add across year ends, both ways', () => {
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-11', -24)).toBe('2024-11');
  });

  it('list the months between two, both included', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
  });

  it('give a month’s first and last days, leap years included', () => {
    expect(periodOfMonth('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodOfMonth('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});
