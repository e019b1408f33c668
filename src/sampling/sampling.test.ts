import fc from 'fast-check';
import { chooseInStratum, drawSample, planSample, type Candidate } from './sample';
import { marginOfErrorSize, proportionalShares } from './size';

const population = (n: number, teams = 5): Candidate[] =>
  Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    teamId: (i % teams) + 1,
    caseType: i % 3 ? 'child-in-need' : 'child-protection',
  }));

describe('margin-of-error sample size', () => {
  it.each([
    // N, e → n0 = 1.96² × 0.25 / e², then n = n0 / (1 + (n0 − 1) / N), rounded up
    [1000, 0.05, 278],
    [100, 0.05, 80],
    [10, 0.05, 10],
    [5000, 0.1, 95],
    [0, 0.05, 0],
  ])('gives %i cases at ±%f the size %i', (n, e, size) => {
    expect(marginOfErrorSize(n, e).size).toBe(size);
  });

  it('shows the formula inputs', () => {
    expect(marginOfErrorSize(1000, 0.05)).toEqual({
      population: 1000,
      margin: 0.05,
      confidence: 0.95,
      z: 1.96,
      proportion: 0.5,
      infinite: expect.closeTo(384.16, 2),
      size: 278,
    });
    expect(marginOfErrorSize(1000, 0.05, 0.99).size).toBe(400);
  });
});

describe('proportional shares', () => {
  it('share a total in proportion, by largest remainder', () => {
    expect(proportionalShares([50, 30, 20], 10)).toEqual([5, 3, 2]);
    expect(proportionalShares([40, 35, 25], 7)).toEqual([3, 2, 2]);
  });

  it('never give a stratum more than it has, sharing the excess among the rest', () => {
    expect(proportionalShares([2, 100], 50)).toEqual([1, 49]);
    // 0.625, 0.625 and 18.75: the two left over by rounding go to the largest remainders, 0.75 then 0.625.
    expect(proportionalShares([1, 1, 30], 20)).toEqual([1, 0, 19]);
    expect(proportionalShares([3, 3], 10)).toEqual([3, 3]);
  });

  it('always add up to the total (or everything), within each stratum’s size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 2000 }),
        (sizes, total) => {
          const shares = proportionalShares(sizes, total);
          const sum = shares.reduce((a, b) => a + b, 0);
          expect(sum).toBe(
            Math.min(
              total,
              sizes.reduce((a, b) => a + b, 0),
            ),
          );
          shares.forEach((s, i) => expect(s).toBeLessThanOrEqual(sizes[i] as number));
        },
      ),
    );
  });
});

describe('drawing a sample', () => {
  it('is the same for the same seed and population, and different for another seed', () => {
    const cases = population(500);
    const first = drawSample(cases, { kind: 'per-team', perTeam: 3 }, 'none', 42).sample.map((c) => c.id);
    const again = drawSample(cases, { kind: 'per-team', perTeam: 3 }, 'none', 42).sample.map((c) => c.id);
    const other = drawSample(cases, { kind: 'per-team', perTeam: 3 }, 'none', 43).sample.map((c) => c.id);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('takes the quota from every team, or all of a small team', () => {
    const cases = [...population(100), { id: 1000, teamId: 99, caseType: 'child-in-need' }];
    const { plan, sample } = drawSample(cases, { kind: 'per-team', perTeam: 2 }, 'none', 7);
    expect(plan.strata.map((s) => [s.key, s.size])).toEqual([
      ['team:1', 2],
      ['team:2', 2],
      ['team:3', 2],
      ['team:4', 2],
      ['team:5', 2],
      ['team:99', 1],
    ]);
    expect(sample).toHaveLength(11);
    expect(new Set(sample.map((c) => c.id)).size).toBe(11);
  });

  it('stratifies a fixed total by case type in proportion', () => {
    const { plan } = drawSample(population(300), { kind: 'fixed', total: 30 }, 'case-type', 1);
    expect(plan.strata.map((s) => [s.key, s.eligible, s.size])).toEqual([
      ['type:child-protection', 100, 10],
      ['type:child-in-need', 200, 20],
    ]);
  });

  it('keeps one stratum’s choice whatever happens to the others', () => {
    const cases = population(200);
    const a = drawSample(cases, { kind: 'per-team', perTeam: 2 }, 'none', 5).sample.filter(
      (c) => c.teamId === 1,
    );
    const fewer = cases.filter((c) => c.teamId !== 2);
    const b = drawSample(fewer, { kind: 'per-team', perTeam: 2 }, 'none', 5).sample.filter(
      (c) => c.teamId === 1,
    );
    expect(b).toEqual(a);
  });

  it('chooses uniformly within a stratum (chi-square over 3,000 seeds)', () => {
    const stratum = population(10);
    const k = 3;
    const seeds = 3000;
    const counts = new Array<number>(stratum.length).fill(0);
    for (let seed = 0; seed < seeds; seed++) {
      for (const c of chooseInStratum(stratum, k, seed, 'all'))
        counts[c.id - 1] = (counts[c.id - 1] as number) + 1;
    }
    const expected = (seeds * k) / stratum.length;
    const chiSquare = counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: a uniform choice exceeds 27.88 once in a thousand runs.
    expect(chiSquare).toBeLessThan(27.88);
    // And a biased choice is caught: always taking the first k gives an enormous value.
    const biased = stratum
      .map((_, i): number => (i < k ? seeds : 0))
      .reduce((sum: number, o) => sum + (o - expected) ** 2 / expected, 0);
    expect(biased).toBeGreaterThan(27.88);
  });
});

describe('a margin-of-error rule sent with null for its optional parts', () => {
  // The round schema accepts null for confidence and proportion (a JSON client's "no value"): it must mean
  // the defaults, never a proportion of 0 (a sample of nobody).
  it('plans the same sample as the rule without them', () => {
    const groups = new Map([['all', Array.from({ length: 400 })]]);
    const plain = planSample(groups, { kind: 'margin-of-error', margin: 0.1 });
    const nulls = planSample(groups, {
      kind: 'margin-of-error',
      margin: 0.1,
      confidence: null,
      proportion: null,
    });
    expect(nulls).toEqual(plain);
    expect(plain.strata[0]?.size).toBeGreaterThan(0);
  });
});
