import fc from 'fast-check';
import { pChart, recommendChart, xmrChart, type SpcResult } from './spc';

/** The flagged points only: index → rules. */
const flagged = (result: SpcResult | null): Record<number, string[]> =>
  Object.fromEntries((result?.points ?? []).flatMap((p, i) => (p.rules.length > 0 ? [[i, p.rules]] : [])));

const limitsOf = (result: SpcResult | null, i = 0) => result?.points[i]?.limits;

/** Alternating 7, 5, 7, 5, ...: mean 6, every moving range 2, so mR-bar 2. */
const SEESAW = [7, 5, 7, 5, 7, 5, 7, 5, 7, 5, 7, 5];
// Limits: 6 ± 2.66 x 2 = 6 ± 5.32 -> 0.68 to 11.32; outer thirds: 6 ± 1.77 x 2 = 6 ± 3.54 -> 2.46 and 9.54.

describe('XmR chart: a flat series with one outlier', () => {
  const values = [10, 10, 10, 10, 10, 20, 10, 10, 10, 10, 10, 10];
  // mean = (11 x 10 + 20) / 12 = 130 / 12 = 10.8333
  // moving ranges: 0, 0, 0, 0, 10, 10, 0, 0, 0, 0, 0 -> mR-bar = 20 / 11 = 1.8182
  // limits: 10.8333 ± 2.66 x 1.8182 = 10.8333 ± 4.8364 -> 5.9970 to 15.6697
  // outer thirds: 10.8333 ± 1.77 x 1.8182 = 10.8333 ± 3.2182 -> 7.6152 and 14.0515
  const result = xmrChart(values, { direction: 'up' });

  it('works out the centre line, mR-bar and limits', () => {
    expect(result?.chart).toBe('xmr');
    expect(result?.centre).toBeCloseTo(10.8333, 4);
    expect(result?.averageMovingRange).toBeCloseTo(1.8182, 4);
    expect(limitsOf(result)?.lower).toBeCloseTo(5.997, 3);
    expect(limitsOf(result)?.upper).toBeCloseTo(15.6697, 4);
    expect(limitsOf(result)?.lowerOuterThird).toBeCloseTo(7.6152, 4);
    expect(limitsOf(result)?.upperOuterThird).toBeCloseTo(14.0515, 4);
    expect(result?.points.map((p) => p.movingRange)).toEqual([null, 0, 0, 0, 0, 10, 10, 0, 0, 0, 0, 0]);
    expect(result?.trial).toBe(false);
    expect(result?.baselinePoints).toBe(12);
  });

  it('flags only the outlier, above the upper limit, as an improvement when higher is better', () => {
    // 20 > 15.6697. The other eleven are all below the mean, but in runs of 5 and 6: no shift.
    expect(flagged(result)).toEqual({ 5: ['outside-limits'] });
    expect(result?.points[5]).toMatchObject({ side: 'high', variation: 'improvement' });
    expect(result?.points[4]?.variation).toBe('common');
    // The latest point is common cause.
    expect(result?.variationIcon).toBe('common-cause');
  });

  it('calls the same outlier a concern when lower is better, and neither without a direction', () => {
    expect(xmrChart(values, { direction: 'down' })?.points[5]?.variation).toBe('concern');
    expect(xmrChart(values, { direction: 'neither' })?.points[5]?.variation).toBe('neither');
  });
});

describe('XmR chart: a run of 7 above the mean', () => {
  it('flags all 7 points of the run', () => {
    // Baseline SEESAW (mean 6, limits 0.68 to 11.32, outer thirds 2.46 and 9.54), ending on 5 (below).
    // Then 7, 8, 7, 8, 7, 8, 7: all above 6, none beyond 9.54, never rising 7 times: only the shift.
    const result = xmrChart([...SEESAW, 7, 8, 7, 8, 7, 8, 7], { direction: 'up' });
    expect(flagged(result)).toEqual(
      Object.fromEntries([12, 13, 14, 15, 16, 17, 18].map((i) => [i, ['shift']])),
    );
    expect(result?.points[18]).toMatchObject({ side: 'high', variation: 'improvement' });
    expect(result?.variationIcon).toBe('improvement-high');
  });

  it('does not flag a run of 6', () => {
    expect(flagged(xmrChart([...SEESAW, 7, 8, 7, 8, 7, 8], { direction: 'up' }))).toEqual({});
  });

  it('is broken by a point on the mean', () => {
    // 7, 8, 7 | 6 | 8, 7, 8, 7: runs of 3 and 4 either side of the 6, which is on the mean.
    expect(flagged(xmrChart([...SEESAW, 7, 8, 7, 6, 8, 7, 8, 7], { direction: 'up' }))).toEqual({});
  });

  it('flags a run below the mean as a concern when higher is better', () => {
    // The baseline reversed (5, 7, ..., 5, 7) ends above the mean; then 7 points at 5 or 4, below 6.
    const result = xmrChart([...SEESAW].reverse().concat([5, 4, 5, 4, 5, 4, 5]), { direction: 'up' });
    expect(Object.keys(flagged(result))).toEqual(['12', '13', '14', '15', '16', '17', '18']);
    expect(result?.variationIcon).toBe('concern-low');
  });
});

describe('XmR chart: a trend of 7 rising', () => {
  // Baseline 10, 14, 10, 14, ...: mean 12, mR-bar 4; limits 12 ± 10.64 -> 1.36 to 22.64;
  // outer thirds 12 ± 7.08 -> 4.92 and 19.08. It ends on 14; 8 is a fall, then 8 rises 6 times to 14.
  const baseline = [10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 10, 14];

  it('flags all 7 points, by their direction of travel', () => {
    // 8, 9, 10, 11 are below 12, 12 is on the mean, 13, 14 above: no shift; none beyond an outer third.
    const result = xmrChart([...baseline, 8, 9, 10, 11, 12, 13, 14], { direction: 'up' });
    expect(flagged(result)).toEqual(
      Object.fromEntries([12, 13, 14, 15, 16, 17, 18].map((i) => [i, ['trend']])),
    );
    // Rising, so high, although the first four are below the mean.
    expect(result?.points[12]).toMatchObject({ side: 'high', variation: 'improvement' });
    expect(result?.variationIcon).toBe('improvement-high');
  });

  it('does not flag 6 rising points', () => {
    expect(flagged(xmrChart([...baseline, 9, 10, 11, 12, 13, 14], { direction: 'up' }))).toEqual({});
  });

  it('is broken by an equal value', () => {
    // 8, 9, 10 then 10 again: rises of 2 and then 4 points (10, 11, 12, 13), none of 7.
    expect(flagged(xmrChart([...baseline, 8, 9, 10, 10, 11, 12, 13], { direction: 'up' }))).toEqual({});
  });

  it('calls a falling trend an improvement when lower is better', () => {
    const result = xmrChart([...baseline, 16, 15, 14, 13, 12, 11, 10], { direction: 'down' });
    expect(Object.keys(flagged(result))).toEqual(['12', '13', '14', '15', '16', '17', '18']);
    expect(result?.variationIcon).toBe('improvement-low');
  });
});

describe('XmR chart: signals that point different ways', () => {
  // Baseline 10, 14, ...: mean 12, limits 1.36 to 22.64, outer thirds 4.92 and 19.08; it ends on 14.
  const baseline = [10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 10, 14];

  it('gives the peak between a rising and a falling trend the side of the one it ends', () => {
    // 8 to 14 rising (points 12 to 18), then 14 down to 8 (points 18 to 24): the peak 14 is in both.
    const result = xmrChart([...baseline, 8, 9, 10, 11, 12, 13, 14, 13, 12, 11, 10, 9, 8], {
      direction: 'up',
    });
    expect(Object.keys(flagged(result)).map(Number)).toEqual([
      12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    ]);
    expect(result?.points[18]).toMatchObject({ rules: ['trend'], side: 'high', variation: 'improvement' });
    expect(result?.points[19]).toMatchObject({ side: 'low', variation: 'concern' });
    expect(result?.variationIcon).toBe('concern-low');
  });

  it('judges a point in a shift by its side, even when it is also in a trend the other way', () => {
    // 19, 18.5, 18, 17, 16, 15, 14: 7 above the mean 12 (a shift, high) and 7 falling (a trend, low).
    const result = xmrChart([...baseline, 19, 18.5, 18, 17, 16, 15, 14], { direction: 'up' });
    expect(result?.points[18]).toMatchObject({
      rules: ['shift', 'trend'],
      side: 'high',
      variation: 'improvement',
    });
  });
});

describe('XmR chart: 2 of 3 in the outer third', () => {
  it('flags the two points beyond, not the one between', () => {
    // Baseline SEESAW: upper outer third 9.54, upper limit 11.32. Then 10 (beyond), 8 (not), 10.5 (beyond).
    const result = xmrChart([...SEESAW, 10, 8, 10.5], { direction: 'up' });
    expect(flagged(result)).toEqual({ 12: ['two-of-three'], 14: ['two-of-three'] });
    expect(result?.variationIcon).toBe('improvement-high');
  });

  it('does not flag two points beyond on opposite sides', () => {
    // 10 is beyond 9.54 (high), 2 is beyond 2.46 (low) but above the lower limit 0.68.
    expect(flagged(xmrChart([...SEESAW, 10, 6, 2], { direction: 'up' }))).toEqual({});
  });

  it('does not flag two beyond with two points between them', () => {
    expect(flagged(xmrChart([...SEESAW, 10, 8, 7, 10], { direction: 'up' }))).toEqual({});
  });
});

describe('XmR chart: 12 points, then 6 more judged against the fixed limits', () => {
  const baseline = [62, 58, 65, 60, 57, 63, 61, 59, 64, 60, 58, 62];
  // sum 729, mean 60.75; moving ranges 4, 7, 5, 3, 6, 2, 2, 5, 4, 2, 4: sum 44, mR-bar 44 / 11 = 4
  // limits 60.75 ± 2.66 x 4 = 60.75 ± 10.64 -> 50.11 to 71.39; outer thirds 60.75 ± 7.08 -> 53.67, 67.83
  const later = [75, 61, 60, 49, 62, 59];
  const result = xmrChart([...baseline, ...later], { direction: 'up' });

  it('keeps the limits of the first 12', () => {
    expect(result?.centre).toBeCloseTo(60.75, 10);
    expect(result?.averageMovingRange).toBeCloseTo(4, 10);
    for (const point of result?.points ?? []) {
      expect(point.limits.lower).toBeCloseTo(50.11, 10);
      expect(point.limits.upper).toBeCloseTo(71.39, 10);
    }
    expect(result?.points.map((p) => p.inBaseline)).toEqual([
      ...baseline.map(() => true),
      ...later.map(() => false),
    ]);
    expect(result?.trial).toBe(false);
    expect(result?.baselinePoints).toBe(12);
    expect(xmrChart(baseline, { direction: 'up' })?.points[0]?.limits).toEqual(result?.points[0]?.limits);
  });

  it('judges the later points against them', () => {
    // 75 > 71.39 and 49 < 50.11. Had all 18 points set the limits (sum 1095, mean 60.83; moving ranges
    // 44 + 13 + 14 + 1 + 11 + 13 + 3 = 99, mR-bar 99 / 17 = 5.82; so 45.34 to 76.32), neither would be
    // outside them.
    expect(flagged(result)).toEqual({ 12: ['outside-limits'], 15: ['outside-limits'] });
    const all = [...baseline, ...later];
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    const mrBar = all.slice(1).reduce((a, v, i) => a + Math.abs(v - all[i]!), 0) / (all.length - 1);
    expect([mean - 2.66 * mrBar, mean + 2.66 * mrBar].map((x) => Math.round(x * 100) / 100)).toEqual([
      45.34, 76.32,
    ]);
    expect(result?.points[12]?.variation).toBe('improvement');
    expect(result?.points[15]?.variation).toBe('concern');
    expect(result?.variationIcon).toBe('common-cause');
  });

  it('compares a target with the limits for the assurance icon', () => {
    const assurance = (direction: 'up' | 'down' | 'neither', target: number | null) =>
      xmrChart([...baseline, ...later], { direction, target })?.assurance;
    // Higher is better: a target of 50 is below the lower limit 50.11, so every month is expected to pass.
    expect(assurance('up', 50)).toBe('consistently-passing');
    // A target of 72 is above the upper limit 71.39: every month is expected to fall short.
    expect(assurance('up', 72)).toBe('consistently-failing');
    // A target of 60 lies between the limits: some months will pass and some fail, by chance alone.
    expect(assurance('up', 60)).toBe('hit-and-miss');
    // On a limit is between them.
    expect(assurance('up', result?.points[0]?.limits.upper ?? NaN)).toBe('hit-and-miss');
    // Lower is better: the same targets the other way round.
    expect(assurance('down', 72)).toBe('consistently-passing');
    expect(assurance('down', 50)).toBe('consistently-failing');
    // No target, or no better direction: no assurance.
    expect(assurance('up', null)).toBeNull();
    expect(assurance('neither', 50)).toBeNull();
  });
});

describe('XmR chart: fewer than 12 points (trial limits)', () => {
  it('works the limits out from all the points and marks them trial', () => {
    // 3, 5, 4, 6, 5: mean 23 / 5 = 4.6; moving ranges 2, 1, 2, 1: mR-bar 1.5
    // limits 4.6 ± 2.66 x 1.5 = 4.6 ± 3.99 -> 0.61 to 8.59
    const result = xmrChart([3, 5, 4, 6, 5], { direction: 'up' });
    expect(result?.trial).toBe(true);
    expect(result?.baselinePoints).toBe(5);
    expect(result?.centre).toBeCloseTo(4.6, 10);
    expect(limitsOf(result)?.lower).toBeCloseTo(0.61, 10);
    expect(limitsOf(result)?.upper).toBeCloseTo(8.59, 10);
    expect(result?.points.every((p) => p.inBaseline)).toBe(true);
  });

  it('needs 2 points for a moving range', () => {
    expect(xmrChart([], { direction: 'up' })).toBeNull();
    expect(xmrChart([4], { direction: 'up' })).toBeNull();
    // 4, 6: mean 5, mR-bar 2, limits 5 ± 5.32
    const two = xmrChart([4, 6], { direction: 'up' });
    expect(two?.trial).toBe(true);
    expect(limitsOf(two)?.lower).toBeCloseTo(-0.32, 10);
    expect(limitsOf(two)?.upper).toBeCloseTo(10.32, 10);
  });

  it('is no longer trial at exactly 12 points', () => {
    expect(xmrChart(SEESAW.slice(0, 11), { direction: 'up' })?.trial).toBe(true);
    expect(xmrChart(SEESAW, { direction: 'up' })?.trial).toBe(false);
  });
});

describe('XmR chart: bounds', () => {
  it('draws limits beyond what the measure can reach at its bounds, changing no signal', () => {
    // 4, 6: limits -0.32 to 10.32; a count cannot be below 0.
    const result = xmrChart([4, 6], { direction: 'up', bounds: { lower: 0 } });
    expect(limitsOf(result)).toMatchObject({ lower: 0, upper: 10.32 });
    expect(() => xmrChart([4, -1], { direction: 'up', bounds: { lower: 0 } })).toThrow(RangeError);
    expect(() => xmrChart([4, NaN], { direction: 'up' })).toThrow(RangeError);
  });
});

describe('p-chart with varying denominators', () => {
  // 7/20, 30/40, 56/80, 28/80, 59/80: p-bar = 180 / 300 = 0.6; p-bar(1 - p-bar) = 0.24
  // n = 20: sigma = sqrt(0.24/20) = 0.109545 -> limits 0.6 ± 0.328634 = 0.271366 to 0.928634,
  //         outer thirds 0.6 ± 0.219089 = 0.380911 and 0.819089
  // n = 40: sigma = 0.077460 -> limits 0.367621 to 0.832379, outer thirds 0.445081 and 0.754919
  // n = 80: sigma = 0.054772 -> limits 0.435683 to 0.764317, outer thirds 0.490455 and 0.709545
  const samples = [
    { successes: 7, n: 20 }, // 0.35: inside 0.271 to 0.929 (beyond the lower outer third 0.381)
    { successes: 30, n: 40 }, // 0.75: inside, not beyond 0.755
    { successes: 56, n: 80 }, // 0.70: inside, not beyond 0.7095
    { successes: 28, n: 80 }, // 0.35: below 0.4357, outside
    { successes: 59, n: 80 }, // 0.7375: beyond 0.7095 (high) but inside 0.7643
  ];
  const result = pChart(samples, { direction: 'up', target: 0.5 });

  it('works out p-bar and each month its own limits', () => {
    expect(result?.chart).toBe('p');
    expect(result?.centre).toBeCloseTo(0.6, 12);
    expect(result?.points.map((p) => p.n)).toEqual([20, 40, 80, 80, 80]);
    expect(limitsOf(result, 0)?.lower).toBeCloseTo(0.271366, 6);
    expect(limitsOf(result, 0)?.upper).toBeCloseTo(0.928634, 6);
    expect(limitsOf(result, 1)?.lower).toBeCloseTo(0.367621, 6);
    expect(limitsOf(result, 1)?.upperOuterThird).toBeCloseTo(0.754919, 6);
    expect(limitsOf(result, 4)?.lower).toBeCloseTo(0.435683, 6);
    expect(limitsOf(result, 4)?.upper).toBeCloseTo(0.764317, 6);
    expect(result?.averageMovingRange).toBeNull();
    expect(result?.trial).toBe(true);
  });

  it('judges each month against its own limits: 35% of 20 is inside, 35% of 80 is not', () => {
    // 0.35 (n 20) and 0.35 (n 80) are beyond their lower outer thirds but three months apart: no 2 of 3.
    expect(flagged(result)).toEqual({ 3: ['outside-limits'] });
    expect(result?.points[3]?.variation).toBe('concern');
    expect(result?.variationIcon).toBe('common-cause');
  });

  it("compares the target with the latest month's limits", () => {
    // Latest n = 80: limits 0.4357 to 0.7643. Target 0.5 between them.
    expect(result?.assurance).toBe('hit-and-miss');
    // Target 0.4 below the lower limit, higher is better.
    expect(pChart(samples, { direction: 'up', target: 0.4 })?.assurance).toBe('consistently-passing');
  });

  it('fixes p-bar from the first 12 months', () => {
    // 12 months of 5 of 10 (p-bar 0.5), then 10 of 10: p-bar stays 0.5, limits 0.5 ± 3 x 0.158114.
    const months = [...Array.from({ length: 12 }, () => ({ successes: 5, n: 10 })), { successes: 10, n: 10 }];
    const fixed = pChart(months, { direction: 'up' });
    expect(fixed?.centre).toBe(0.5);
    expect(limitsOf(fixed, 12)?.upper).toBeCloseTo(0.974342, 6);
    expect(flagged(fixed)).toEqual({ 12: ['outside-limits'] });
    expect(fixed?.trial).toBe(false);
  });

  it('keeps limits within 0 and 1', () => {
    // p-bar = 19/20 = 0.95, n = 10: sigma = sqrt(0.0475/10) = 0.068920; 0.95 + 0.206760 > 1
    const high = pChart(
      [
        { successes: 10, n: 10 },
        { successes: 9, n: 10 },
      ],
      { direction: 'up' },
    );
    expect(limitsOf(high)?.upper).toBe(1);
    expect(limitsOf(high)?.lower).toBeCloseTo(0.74324, 5);
  });

  it('needs months with a denominator', () => {
    expect(pChart([], { direction: 'up' })).toBeNull();
    expect(() => pChart([{ successes: 0, n: 0 }], { direction: 'up' })).toThrow(RangeError);
    expect(() => pChart([{ successes: 3, n: 2 }], { direction: 'up' })).toThrow(RangeError);
  });
});

describe('which chart to show', () => {
  it.each([
    [[40, 45, 50], 'xmr'],
    [[40, 60], 'xmr'], // 60 is exactly 1.5 x 40
    [[30, 45], 'xmr'],
    [[29, 30], 'p'], // a month below 30
    [[12, 40], 'p'],
    [[40, 61], 'p'], // 61 is more than 1.5 x 40
    [[], 'p'],
  ])('%j → %s', (denominators, chart) => {
    expect(recommendChart(denominators).chart).toBe(chart);
  });

  it('gives the reason in a sentence', () => {
    expect(recommendChart([12, 40]).reason).toBe(
      'A p-chart (proportions) is used because some months are small: the smallest has 12, fewer than 30.',
    );
    expect(recommendChart([40, 90]).reason).toBe(
      'A p-chart (proportions) is used because the months vary in size, from 40 to 90: the largest is more than 1.5 times the smallest.',
    );
    expect(recommendChart([40, 50]).reason).toBe(
      'An XmR chart (individual values) is used because every month has at least 30 and the largest is no more than 1.5 times the smallest.',
    );
  });
});

describe('properties', () => {
  const series = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 40 });
  const direction = fc.constantFrom('up' as const, 'down' as const, 'neither' as const);

  it('marks trial limits exactly when there are fewer than 12 points', () => {
    fc.assert(
      fc.property(series, (values) => {
        const result = xmrChart(values, { direction: 'up' })!;
        expect(result.trial).toBe(values.length < 12);
        expect(result.baselinePoints).toBe(Math.min(12, values.length));
      }),
    );
  });

  it('never moves the limits for points after the first 12', () => {
    fc.assert(
      fc.property(series, series, (values, more) => {
        fc.pre(values.length >= 12);
        const before = xmrChart(values.slice(0, 12), { direction: 'up' })!;
        const after = xmrChart([...values, ...more], { direction: 'up' })!;
        expect(after.centre).toBe(before.centre);
        expect(after.points[0]?.limits).toEqual(before.points[0]?.limits);
      }),
    );
  });

  it('flags a point outside the limits, and calls a point common only within them', () => {
    fc.assert(
      fc.property(series, direction, (values, dir) => {
        for (const point of xmrChart(values, { direction: dir })!.points) {
          const outside = point.value > point.limits.upper || point.value < point.limits.lower;
          expect(point.rules.includes('outside-limits')).toBe(outside);
          expect(point.rules.length === 0).toBe(point.variation === 'common');
          expect(point.side === null).toBe(point.variation === 'common');
          if (dir === 'neither') expect(['common', 'neither']).toContain(point.variation);
          else expect(point.variation).not.toBe('neither');
        }
      }),
    );
  });

  it('mirrors: the negated series with lower better reads as the series with higher better', () => {
    const flip = { high: 'low', low: 'high' } as const;
    fc.assert(
      fc.property(series, (values) => {
        const up = xmrChart(values, { direction: 'up' })!;
        const down = xmrChart(
          values.map((v) => -v),
          { direction: 'down' },
        )!;
        up.points.forEach((point, i) => {
          const mirror = down.points[i]!;
          expect(mirror.rules).toEqual(point.rules);
          expect(mirror.variation).toBe(point.variation);
          expect(mirror.side).toBe(point.side && flip[point.side]);
        });
      }),
    );
  });

  it('keeps p-chart limits within 0 and 1, around p-bar, wider for smaller months', () => {
    const months = fc.array(
      fc
        .integer({ min: 1, max: 500 })
        .chain((n) => fc.record({ successes: fc.integer({ min: 0, max: n }), n: fc.constant(n) })),
      { minLength: 1, maxLength: 30 },
    );
    fc.assert(
      fc.property(months, (samples) => {
        const result = pChart(samples, { direction: 'up' })!;
        for (const { limits } of result.points) {
          expect(0).toBeLessThanOrEqual(limits.lower);
          expect(limits.lower).toBeLessThanOrEqual(limits.lowerOuterThird);
          expect(limits.lowerOuterThird).toBeLessThanOrEqual(result.centre);
          expect(result.centre).toBeLessThanOrEqual(limits.upperOuterThird);
          expect(limits.upperOuterThird).toBeLessThanOrEqual(limits.upper);
          expect(limits.upper).toBeLessThanOrEqual(1);
        }
        const [a, b] = [result.points[0]!, result.points[result.points.length - 1]!];
        if (a.n! < b.n!)
          expect(a.limits.upper - a.limits.lower).toBeGreaterThanOrEqual(b.limits.upper - b.limits.lower);
      }),
    );
  });
});
