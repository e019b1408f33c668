import fc from 'fast-check';
import { narrative } from './narrative';
import { pChart, xmrChart } from './spc';

const MEASURE = 'the average audit score';
/** Mean 60.75, mR-bar 4, limits 50.11 to 71.39 (worked in spc.test.ts). */
const BASELINE = [62, 58, 65, 60, 57, 63, 61, 59, 64, 60, 58, 62];
/** Mean 6, mR-bar 2, limits 0.68 to 11.32, outer thirds 2.46 and 9.54; ends below the mean. */
const SEESAW = [7, 5, 7, 5, 7, 5, 7, 5, 7, 5, 7, 5];

const up = (values: number[]): string => narrative(xmrChart(values, { direction: 'up' }), MEASURE);

describe('common cause variation', () => {
  it('says there is no significant change and gives the expected range', () => {
    // Latest 62, within 50.11 to 71.39, written to one decimal place.
    expect(up(BASELINE)).toBe(
      'No significant change in the average audit score: the latest value (62) is within the expected range (50.1 to 71.4).',
    );
  });

  it('calls a rise within the limits no change at all', () => {
    // 70 is 8 above the month before and the highest so far, but inside 71.39.
    expect(up([...BASELINE, 70])).toBe(
      'No significant change in the average audit score: the latest value (70) is within the expected range (50.1 to 71.4).',
    );
  });

  it("writes a p-chart's values as percentages and says trial limits are provisional", () => {
    // 7/20, 30/40, 56/80, 28/80, 59/80 (spc.test.ts): latest 0.7375 -> 74%; its limits (n 80)
    // 0.4357 to 0.7643 -> 44% to 76%; 5 months, so trial limits.
    const result = pChart(
      [
        { successes: 7, n: 20 },
        { successes: 30, n: 40 },
        { successes: 56, n: 80 },
        { successes: 28, n: 80 },
        { successes: 59, n: 80 },
      ],
      { direction: 'up' },
    );
    expect(narrative(result, 'audits graded good or better')).toBe(
      'No significant change in audits graded good or better: the latest value (74%) is within the expected range (44% to 76%); the limits are provisional, worked out from only 5 months (12 are needed to fix them).',
    );
  });
});

describe('special cause variation', () => {
  it('says which limit a point is beyond and whether that is an improvement or a concern', () => {
    expect(up([...BASELINE, 75])).toBe(
      'Significant change in the average audit score, an improvement: the latest value (75) is above the upper limit (71.4).',
    );
    expect(up([...BASELINE, 49])).toBe(
      'Significant change in the average audit score, a concern: the latest value (49) is below the lower limit (50.1).',
    );
    expect(narrative(xmrChart([...BASELINE, 75], { direction: 'down' }), MEASURE)).toBe(
      'Significant change in the average audit score, a concern: the latest value (75) is above the upper limit (71.4).',
    );
  });

  it('takes no side for a measure with no better direction', () => {
    expect(narrative(xmrChart([...BASELINE, 75], { direction: 'neither' }), MEASURE)).toBe(
      'Significant change in the average audit score, neither an improvement nor a concern, as neither direction is better for this measure: the latest value (75) is above the upper limit (71.4).',
    );
  });

  it('counts the months of a shift', () => {
    expect(up([...SEESAW, 7, 8, 7, 8, 7, 8, 7])).toBe(
      'Significant change in the average audit score, an improvement: the latest value is 7, and there have been 7 months in a row above the average (6).',
    );
    expect(up([...SEESAW, 7, 8, 7, 8, 7, 8, 7, 8, 7])).toContain('9 months in a row above the average (6)');
  });

  it('counts the months of a trend', () => {
    // Baseline 10, 14, ...: mean 12, limits 1.36 to 22.64; then 8 rising to 14.
    const baseline = [10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 10, 14];
    expect(up([...baseline, 8, 9, 10, 11, 12, 13, 14])).toBe(
      'Significant change in the average audit score, an improvement: the latest value is 14, and there have been 7 months in a row each higher than the one before.',
    );
    expect(up([...baseline, 16, 15, 14, 13, 12, 11, 10, 9])).toContain(
      '8 months in a row each lower than the one before',
    );
  });

  it('names a shift and a trend that point different ways', () => {
    const baseline = [10, 14, 10, 14, 10, 14, 10, 14, 10, 14, 10, 14];
    // The baseline's last 14 is above the mean 12 too: 8 above in a row; 19 down to 14 is 7 falling.
    expect(up([...baseline, 19, 18.5, 18, 17, 16, 15, 14])).toBe(
      'Significant change in the average audit score, an improvement: the latest value is 14, and there have been 8 months in a row above the average (12), and there have been 7 months in a row each lower than the one before.',
    );
  });

  it('counts the months close to a limit', () => {
    // 10 and 10.5 beyond the upper outer third 9.54, 8 not; upper limit 11.32 -> "11.3".
    expect(up([...SEESAW, 10, 8, 10.5])).toBe(
      'Significant change in the average audit score, an improvement: the latest value is 10.5, and 2 of the last 3 months have been close to the upper limit (11.3).',
    );
  });

  it('says trial limits are provisional', () => {
    // 3, 5, 4, 6, 5, 20: mean 43 / 6 = 7.1667; moving ranges 2, 1, 2, 1, 15: mR-bar 21 / 5 = 4.2;
    // upper limit 7.1667 + 2.66 x 4.2 = 7.1667 + 11.172 = 18.34 -> "18.3"; 20 is above it.
    expect(up([3, 5, 4, 6, 5, 20])).toBe(
      'Significant change in the average audit score, an improvement: the latest value (20) is above the upper limit (18.3); the limits are provisional, worked out from only 6 months (12 are needed to fix them).',
    );
  });
});

describe('writing', () => {
  it('says when there is not enough data to chart', () => {
    expect(narrative(xmrChart([4], { direction: 'up' }), MEASURE)).toBe(
      'There are not yet enough months of data to chart the average audit score.',
    );
  });

  it('takes a format for values and a name for the period', () => {
    const result = xmrChart([...BASELINE, 75], { direction: 'up' });
    expect(
      narrative(result, MEASURE, { formatValue: (v) => `${Math.round(v)} points`, period: 'week' }),
    ).toBe(
      'Significant change in the average audit score, an improvement: the latest value (75 points) is above the upper limit (71 points).',
    );
    expect(
      narrative(xmrChart([...SEESAW, 7, 8, 7, 8, 7, 8, 7], { direction: 'up' }), MEASURE, { period: 'week' }),
    ).toContain('7 weeks in a row above the average');
  });
});

describe('properties', () => {
  it('never calls a latest point within the limits an improvement or a concern', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 30 }),
        fc.constantFrom('up' as const, 'down' as const, 'neither' as const),
        (values, direction) => {
          const result = xmrChart(values, { direction })!;
          const latest = result.points[result.points.length - 1]!;
          const sentence = narrative(result, MEASURE);
          expect(sentence.startsWith('No significant change')).toBe(latest.variation === 'common');
          if (latest.variation === 'common') {
            expect(sentence).not.toMatch(/improv|concern|deteriorat|better|worse|significant change,/i);
            expect(latest.value).toBeGreaterThanOrEqual(latest.limits.lower);
            expect(latest.value).toBeLessThanOrEqual(latest.limits.upper);
          }
          expect(sentence.includes('provisional')).toBe(result.trial);
          expect(sentence.endsWith('.')).toBe(true);
          expect(sentence.split('. ')).toHaveLength(1);
        },
      ),
    );
  });
});
