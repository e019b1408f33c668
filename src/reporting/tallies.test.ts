import { splitPeriod } from './tallies';

describe('splitPeriod', () => {
  const today = '2026-11-26';

  it('reads whole past months from the tallies', () => {
    expect(splitPeriod('2025-11-01', '2026-10-31', today)).toEqual({
      months: monthsOf('2025-11', 12),
      raw: [],
    });
  });

  it('reads partial months at the edges and the current month from the audit tables', () => {
    expect(splitPeriod('2025-11-15', '2026-11-26', today)).toEqual({
      months: monthsOf('2025-12', 11),
      raw: [
        { from: '2025-11-15', to: '2025-11-30' },
        { from: '2026-11-01', to: '2026-11-26' },
      ],
    });
    expect(splitPeriod('2026-01-01', '2026-03-30', today)).toEqual({
      months: ['2026-01', '2026-02'],
      raw: [{ from: '2026-03-01', to: '2026-03-30' }],
    });
  });

  it('reads a period within one month, or in the current month, from the audit tables', () => {
    expect(splitPeriod('2026-02-02', '2026-02-28', today)).toEqual({
      months: [],
      raw: [{ from: '2026-02-02', to: '2026-02-28' }],
    });
    expect(splitPeriod('2026-11-01', '2026-11-30', today)).toEqual({
      months: [],
      raw: [{ from: '2026-11-01', to: '2026-11-30' }],
    });
    expect(splitPeriod('2024-02-01', '2024-02-29', today)).toEqual({ months: ['2024-02'], raw: [] });
  });
});

function monthsOf(first: string, n: number): string[] {
  const [year, month] = first.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) =>
    new Date(Date.UTC(year, month - 1 + i, 1)).toISOString().slice(0, 7),
  );
}
