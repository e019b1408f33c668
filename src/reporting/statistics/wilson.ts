/**
 * The Wilson score interval for a proportion (Wilson 1927), the interval Newcombe (1998) recommends
 * for small samples. Unlike the textbook "p ± 1.96 standard errors" (the Wald interval) it never runs
 * below 0 or above 1, is never of zero width when every or no case passes, and keeps close to its
 * stated 95% coverage even for a handful of audits.
 *
 * With p = successes / n and z = 1.959964 (the 97.5th centile of the normal distribution):
 *
 *   centre = (p + z²/2n) / (1 + z²/n)
 *   half   = z / (1 + z²/n) × √( p(1 − p)/n + z²/4n² )
 *   lower  = centre − half,  upper = centre + half
 *
 * Worked: 32 of 48. p = 0.6667, z²/n = 3.8415/48 = 0.0800, z²/2n = 0.0400.
 * centre = 0.7067 / 1.0800 = 0.6543; half = 1.8147 × √(0.004630 + 0.000417) = 0.1289;
 * interval 0.525 to 0.783.
 */

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959964;

export interface ProportionInterval {
  /** successes / n */
  proportion: number;
  lower: number;
  upper: number;
}

/** Throws a RangeError unless successes and n are whole numbers with 0 ≤ successes ≤ n. */
export function assertCounts(successes: number, n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`A denominator must be a whole number of at least 0, got ${n}`);
  }
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`A count must be a whole number from 0 to ${n}, got ${successes}`);
  }
}

/**
 * The Wilson score interval for `successes` out of `n` (95% unless another z is given), or null when
 * n is 0 and there is no proportion to estimate. The ends are exact where the formula's are: lower is 0
 * when nothing passed and upper is 1 when everything did (the formula gives them up to rounding error).
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): ProportionInterval | null {
  assertCounts(successes, n);
  if (!(z > 0) || !Number.isFinite(z)) throw new RangeError(`z must be a positive number, got ${z}`);
  if (n === 0) return null;
  const proportion = successes / n;
  const z2 = z * z;
  const scale = 1 + z2 / n;
  const centre = (proportion + z2 / (2 * n)) / scale;
  const half = (z / scale) * Math.sqrt((proportion * (1 - proportion)) / n + z2 / (4 * n * n));
  return {
    proportion,
    lower: successes === 0 ? 0 : Math.min(proportion, Math.max(0, centre - half)),
    upper: successes === n ? 1 : Math.max(proportion, Math.min(1, centre + half)),
  };
}
