import fc from 'fast-check';
import { formatFigure, suppressCount, suppressFigure } from './suppression';

const text = (count: number, denominator: number): string =>
  formatFigure(suppressFigure({ count, denominator }));

describe('a count on its own', () => {
  it.each([
    [0, '0', false],
    [1, 'fewer than 5', true],
    [4, 'fewer than 5', true],
    [5, '5', false],
    [1234, '1,234', false],
  ])('%i is shown as "%s"', (count, display, suppressed) => {
    expect(suppressCount(count)).toEqual({ count: suppressed ? null : count, display, suppressed });
  });

  it('refuses what is not a count', () => {
    expect(() => suppressCount(-1)).toThrow(RangeError);
    expect(() => suppressCount(2.5)).toThrow(RangeError);
  });
});

describe('a count out of a denominator, worked by hand', () => {
  it('32 of 48 is shown in full', () => {
    // 32 x 100 / 48 = 66.67 -> "67%"; Wilson interval 0.5254 to 0.7832 (see wilson.test.ts) -> "53% to 78%"
    const figure = suppressFigure({ count: 32, denominator: 48 });
    expect(figure).toMatchObject({
      count: 32,
      display: '32',
      denominator: 48,
      denominatorDisplay: '48',
      percentDisplay: '67%',
      intervalDisplay: '53% to 78%',
      suppressed: false,
    });
    expect(figure.percent).toBeCloseTo(66.667, 3);
    expect(figure.interval?.lower).toBeCloseTo(52.54, 2);
    expect(figure.interval?.upper).toBeCloseTo(78.32, 2);
    expect(formatFigure(figure)).toBe('32 of 48 (67%, 95% CI 53% to 78%)');
  });

  it('shows a count of 0: nothing happened discloses nothing', () => {
    // upper = (z²/n)/(1 + z²/n) = (3.841459/48)/(1.080030) = 0.080030/1.080030 = 0.0741 -> "7%"
    expect(text(0, 48)).toBe('0 of 48 (0%, 95% CI 0% to 7%)');
    expect(suppressFigure({ count: 0, denominator: 48 }).suppressed).toBe(false);
  });

  it('withholds a count of 1 to 4, and its percent and interval', () => {
    expect(suppressFigure({ count: 3, denominator: 48 })).toEqual({
      count: null,
      display: 'fewer than 5',
      denominator: 48,
      denominatorDisplay: '48',
      percent: null,
      percentDisplay: null,
      interval: null,
      intervalDisplay: null,
      suppressed: true,
    });
    expect(text(3, 48)).toBe('fewer than 5 of 48');
    expect(text(4, 48)).toBe('fewer than 5 of 48');
  });

  it('shows 5 in full', () => {
    // 5 x 100 / 48 = 10.4 -> "10%"; centre = (0.104167 + 0.040015)/1.080030 = 0.133498,
    // half = 1.814732 x sqrt(0.104167 x 0.895833/48 + 0.000417) = 1.814732 x 0.047056 = 0.085395,
    // interval 0.048 to 0.219 -> "5% to 22%"
    expect(text(5, 48)).toBe('5 of 48 (10%, 95% CI 5% to 22%)');
  });

  it('withholds a denominator of 1 to 4 and any percent over it, but still shows a 0', () => {
    expect(suppressFigure({ count: 0, denominator: 3 })).toMatchObject({
      count: 0,
      display: '0',
      denominator: null,
      denominatorDisplay: 'fewer than 5',
      percent: null,
      interval: null,
      suppressed: true,
    });
    expect(text(0, 3)).toBe('0 of fewer than 5');
    expect(text(3, 4)).toBe('fewer than 5');
    expect(text(1, 1)).toBe('fewer than 5');
  });

  it('has no percent when there is nothing to divide by, and withholds nothing', () => {
    expect(suppressFigure({ count: 0, denominator: 0 })).toMatchObject({
      count: 0,
      denominator: 0,
      percent: null,
      interval: null,
      suppressed: false,
    });
    expect(text(0, 0)).toBe('0 of 0');
  });

  it('never rounds something to "0%" or less than everything to "100%"', () => {
    // 5 x 100 / 1001 = 0.4995 would round to 0%; interval 0.0021 to 0.0116 -> "0% to 1%"
    expect(text(5, 1001)).toBe('5 of 1,001 (less than 1%, 95% CI 0% to 1%)');
    // 5 x 100 / 1000 = 0.5 rounds up to 1% honestly
    expect(suppressFigure({ count: 5, denominator: 1000 }).percentDisplay).toBe('1%');
    // 996 x 100 / 1001 = 99.50 would round to 100%
    expect(suppressFigure({ count: 996, denominator: 1001 }).percentDisplay).toBe('more than 99%');
    expect(suppressFigure({ count: 1001, denominator: 1001 }).percentDisplay).toBe('100%');
  });

  it('refuses a count above its denominator', () => {
    expect(() => suppressFigure({ count: 6, denominator: 5 })).toThrow(RangeError);
  });
});

describe('properties', () => {
  const figures = fc
    .integer({ min: 0, max: 2000 })
    .chain((denominator) =>
      fc.record({ count: fc.integer({ min: 0, max: denominator }), denominator: fc.constant(denominator) }),
    );
  const small = (n: number): boolean => n >= 1 && n <= 4;

  it('withholds exactly when the count or the denominator is 1 to 4', () => {
    fc.assert(
      fc.property(figures, ({ count, denominator }) => {
        const figure = suppressFigure({ count, denominator });
        expect(figure.suppressed).toBe(small(count) || small(denominator));
        expect(figure.count === null).toBe(small(count));
        expect(figure.denominator === null).toBe(small(denominator));
        expect(figure.percent === null).toBe(figure.suppressed || denominator === 0);
        expect(figure.interval === null).toBe(figure.percent === null);
      }),
    );
  });

  it('never writes a withheld number anywhere in the text', () => {
    fc.assert(
      fc.property(figures, ({ count, denominator }) => {
        const written = text(count, denominator);
        if (small(count)) expect(written).not.toMatch(new RegExp(`(^|[^\\d,])${count}([^\\d,]|$)`));
        if (small(denominator)) expect(written).not.toMatch(/\d+%/);
        if (small(count) || small(denominator)) expect(written).toContain('fewer than 5');
      }),
    );
  });

  it('keeps the shown percent inside the shown interval', () => {
    fc.assert(
      fc.property(figures, ({ count, denominator }) => {
        const { percent, interval } = suppressFigure({ count, denominator });
        if (percent === null || interval === null) return;
        expect(interval.lower).toBeLessThanOrEqual(percent);
        expect(percent).toBeLessThanOrEqual(interval.upper);
      }),
    );
  });
});
