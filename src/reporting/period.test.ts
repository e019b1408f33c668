import { periodOf } from './period';

const TODAY = '2026-11-15';

describe('the period of an export', () => {
  it('is the twelve calendar months to today by default', () => {
    expect(periodOf({}, TODAY)).toEqual({ period: { from: '2025-12-01', to: TODAY }, problems: [] });
    expect(periodOf({ to: '2026-01' }, TODAY).period).toEqual({ from: '2025-02-01', to: '2026-01-31' });
  });

  it.each([
    [
      { from: '2026-02', to: '2026-02' },
      { from: '2026-02-01', to: '2026-02-28' },
    ],
    [
      { from: '2024-02-10', to: '2024-02' },
      { from: '2024-02-10', to: '2024-02-29' },
    ],
    [
      { from: '2023-11-16', to: '2026-11-15' },
      { from: '2023-11-16', to: '2026-11-15' },
    ],
    [
      { from: '2023-12', to: '2026-11' },
      { from: '2023-12-01', to: '2026-11-30' },
    ],
  ])('takes dates and months: %j', (asked, period) => {
    expect(periodOf(asked, TODAY)).toEqual({ period, problems: [] });
  });

  it.each([
    [{ from: '2026-13' }, [{ field: 'from', message: 'must be a date (YYYY-MM-DD) or a month (YYYY-MM)' }]],
    [
      { from: '1 May 2026', to: '2026-02-30' },
      [
        { field: 'from', message: 'must be a date (YYYY-MM-DD) or a month (YYYY-MM)' },
        { field: 'to', message: 'must be a date (YYYY-MM-DD) or a month (YYYY-MM)' },
      ],
    ],
    [{ from: '2026-05-02', to: '2026-05-01' }, [{ field: 'from', message: 'must not be after to' }]],
    [
      { from: '2023-11-15', to: '2026-11-15' },
      [{ field: 'from', message: 'must be less than three years before to' }],
    ],
    [
      { from: '2023-11', to: '2026-11' },
      [{ field: 'from', message: 'must be less than three years before to' }],
    ],
  ])('refuses %j, naming the field', (asked, problems) => {
    expect(periodOf(asked, TODAY).problems).toEqual(problems);
  });
});
