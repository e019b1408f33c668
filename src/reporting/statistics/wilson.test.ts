import fc from 'fast-check';
import { wilsonInterval } from './wilson';

/** Rounds to 3 decimal places, as the published values are given. */
const to3 = (x: number | undefined): number => Math.round((x ?? NaN) * 1000) / 1000;
const rounded = (successes: number, n: number): [number, number, number] => {
  const interval = wilsonInterval(successes, n);
  return [to3(interval?.proportion), to3(interval?.lower), to3(interval?.upper)];
};

describe('the Wilson score interval, worked by hand (z = 1.959964, z² = 3.841459)', () => {
  it('32 of 48 is 0.667, 0.525 to 0.783', () => {
    // p = 32/48 = 0.666667; z²/n = 3.841459/48 = 0.080030; z²/2n = 0.040015; 1 + z²/n = 1.080030
    // centre = (0.666667 + 0.040015) / 1.080030 = 0.706682 / 1.080030 = 0.654318
    // p(1-p)/n = 0.222222/48 = 0.004630; z²/4n² = 3.841459/9216 = 0.000417; sqrt(0.005046) = 0.071038
    // half = 1.959964/1.080030 x 0.071038 = 1.814732 x 0.071038 = 0.128915
    // lower = 0.654318 - 0.128915 = 0.525403; upper = 0.654318 + 0.128915 = 0.783233
    expect(rounded(32, 48)).toEqual([0.667, 0.525, 0.783]);
  });

  it('0 of 10 is 0, 0 to 0.278', () => {
    // p = 0: centre = (z²/2n)/(1 + z²/n) = 0.192073/1.384146 = 0.138766
    // half = (z/(1 + z²/n)) x sqrt(z²/4n²) = (1.959964/1.384146) x 0.097998 = 0.138766, so lower = 0
    // upper = 2 x 0.138766 = 0.277532 (= (z²/n)/(1 + z²/n) = 0.384146/1.384146)
    expect(rounded(0, 10)).toEqual([0, 0, 0.278]);
    expect(wilsonInterval(0, 10)?.lower).toBe(0);
  });

  it('10 of 10 is 1, 0.722 to 1 (the mirror of 0 of 10)', () => {
    // lower = 1 - 0.277532 = 0.722468; upper = 1
    expect(rounded(10, 10)).toEqual([1, 0.722, 1]);
    expect(wilsonInterval(10, 10)?.upper).toBe(1);
  });

  it('1 of 1 is 1, 0.207 to 1', () => {
    // lower = 1 / (1 + z²) = 1 / 4.841459 = 0.206549
    expect(rounded(1, 1)).toEqual([1, 0.207, 1]);
  });
});

describe("the score interval's values as tabulated by Newcombe (1998, Table II, method 3), to 4 places", () => {
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [29, 29, 0.883, 1],
  ])('%i of %i is %f to %f', (successes, n, lower, upper) => {
    const interval = wilsonInterval(successes, n);
    const to4 = (x: number | undefined): number => Math.round((x ?? NaN) * 10000) / 10000;
    expect([to4(interval?.lower), to4(interval?.upper)]).toEqual([lower, upper]);
  });
});

describe('edges', () => {
  it('has no interval when there is nothing to count', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('refuses counts that are not whole, negative or more than the denominator', () => {
    expect(() => wilsonInterval(1.5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(0, -1)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 4, 0)).toThrow(RangeError);
  });

  it('widens for a higher confidence (z = 2.575829, 99%)', () => {
    const ninetyFive = wilsonInterval(32, 48);
    const ninetyNine = wilsonInterval(32, 48, 2.575829);
    expect(ninetyNine?.lower).toBeLessThan(ninetyFive?.lower ?? 0);
    expect(ninetyNine?.upper).toBeGreaterThan(ninetyFive?.upper ?? 1);
  });
});

describe('properties', () => {
  const counts = fc
    .integer({ min: 1, max: 5000 })
    .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

  it('holds the proportion, and both ends lie in [0, 1]', () => {
    fc.assert(
      fc.property(counts, ([successes, n]) => {
        const interval = wilsonInterval(successes, n);
        expect(interval).not.toBeNull();
        const { proportion, lower, upper } = interval!;
        expect(proportion).toBe(successes / n);
        expect(0).toBeLessThanOrEqual(lower);
        expect(lower).toBeLessThanOrEqual(proportion);
        expect(proportion).toBeLessThanOrEqual(upper);
        expect(upper).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is the mirror image of the failures: (s of n) = 1 − (n − s of n) reversed', () => {
    fc.assert(
      fc.property(counts, ([successes, n]) => {
        const passes = wilsonInterval(successes, n)!;
        const fails = wilsonInterval(n - successes, n)!;
        expect(passes.lower).toBeCloseTo(1 - fails.upper, 12);
        expect(passes.upper).toBeCloseTo(1 - fails.lower, 12);
      }),
    );
  });

  it('narrows as the sample grows at the same proportion', () => {
    fc.assert(
      fc.property(counts, fc.integer({ min: 2, max: 20 }), ([successes, n], k) => {
        const small = wilsonInterval(successes, n)!;
        const large = wilsonInterval(successes * k, n * k)!;
        expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
      }),
    );
  });
});
