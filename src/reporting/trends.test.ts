import type { Proportion } from './figures';
import { monthsBetween } from './months';
import { trendOf } from './trends';

describe('a measure’s trend', () => {
  const months = monthsBetween('2025-01', '2025-12');
  /** Twelve months of 10 audits, 6 good or better, except March with 3 audits (withheld). */
  const proportions = new Map<string, Record<'good-or-better' | 'inadequate', Proportion>>(
    months.map((m) => [
      m,
      m === '2025-03'
        ? { 'good-or-better': { count: 2, of: 3 }, inadequate: { count: 0, of: 3 } }
        : { 'good-or-better': { count: 6, of: 10 }, inadequate: { count: 1, of: 10 } },
    ]),
  );

  it('withholds months with fewer than five audits, and says which chart it shows and why', () => {
    const trend = trendOf('good-or-better', months, proportions, 70);
    expect(trend.monthsWithheld).toEqual(['2025-03']);
    expect(trend.points).toHaveLength(11);
    expect(trend.chart).toBe('p');
    expect(trend.chartReason).toMatch(/p-chart/);
    expect(trend.centrePercent).toBe(60);
    expect(trend.trial).toBe(true);
    expect(trend.targetPercent).toBe(70);
  });

  it('withholds a month whose percentage would give away a count from 1 to 4', () => {
    const trend = trendOf('inadequate', months, proportions, null);
    expect(trend.monthsWithheld).toEqual(months);
    expect(trend.points).toHaveLength(0);
    const some = new Map(
      [...proportions].map(([m, p], i) => [
        m,
        { ...p, inadequate: { count: i % 2 === 0 ? 0 : i < 6 ? 5 : 2, of: 10 } },
      ]),
    );
    const shown = trendOf('inadequate', months, some, null);
    expect(shown.points.map((p) => p.month)).toEqual(months.filter((_, i) => i % 2 === 0 || i < 6));
    expect(shown.points.every((p) => p.percent === 0 || p.percent === 50)).toBe(true);
  });

  it('never calls a flat series an improvement', () => {
    const trend = trendOf('good-or-better', months, proportions, null);
    expect(trend.points.every((p) => p.variation === 'common')).toBe(true);
    expect(trend.narrative).toMatch(/^No significant change/);
  });
});
