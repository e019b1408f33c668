import fc from 'fast-check';
import { agreementBy, agreementStats, percentAgreement, weightedKappa, type GradePair } from './agreement';

/** Builds pairs from [auditor, moderator, how many times] rows. */
const pairsOf = (...rows: [number, number, number][]): GradePair[] =>
  rows.flatMap(([auditor, moderator, times]) =>
    Array.from({ length: times }, () => ({ auditor, moderator })),
  );

/**
 * Independent implementation of the textbook formula, on counts rather than proportions:
 * kappa_w = 1 - sum(w_ij * o_ij) / sum(w_ij * e_ij), w_ij = (i-j)^2/(k-1)^2,
 * o_ij = observed count, e_ij = row_i * col_j / n = expected count.
 */
function textbookKappa(table: number[][]): number {
  const k = table.length;
  const n = table.flat().reduce((a, b) => a + b, 0);
  const row = (i: number): number => (table[i] ?? []).reduce((a, b) => a + b, 0);
  const col = (j: number): number => table.reduce((a, r) => a + (r[j] ?? 0), 0);
  let wo = 0;
  let we = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = (i - j) ** 2 / (k - 1) ** 2;
      wo += w * (table[i]?.[j] ?? 0);
      we += (w * row(i) * col(j)) / n;
    }
  }
  return 1 - wo / we;
}

const tableOf = (pairs: readonly GradePair[], k: number): number[][] => {
  const table = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const { auditor, moderator } of pairs) {
    const row = table[auditor];
    if (row) row[moderator] = (row[moderator] ?? 0) + 1;
  }
  return table;
};

describe('perfect agreement', () => {
  it('gives kappa 1 and 100% agreement', () => {
    const pairs = pairsOf([0, 0, 1], [1, 1, 2], [2, 2, 1], [3, 3, 1]);
    // Observed disagreement sum (i-j)^2 n_ij = 0, expected disagreement > 0 (both raters used all four grades),
    // so kappa = 1 - 0 / expected = 1.
    expect(weightedKappa(pairs, 4)).toBe(1);
    expect(percentAgreement(pairs)).toBe(100);
    expect(agreementStats(pairs, 4)).toEqual({
      pairs: 5,
      agreed: 5,
      percentAgreement: 100,
      kappa: 1,
      upgraded: 0,
      downgraded: 0,
      upgradeRate: 0,
      downgradeRate: 0,
    });
  });
});

describe('worked 4-category example (10 audits)', () => {
  // Grades 0 Outstanding, 1 Good, 2 Requires improvement, 3 Inadequate. Rows auditor, columns moderator:
  //
  //              mod 0  mod 1  mod 2  mod 3 | row
  //   aud 0        1      1      0      0   |  2
  //   aud 1        0      2      1      0   |  3
  //   aud 2        0      1      2      1   |  4
  //   aud 3        0      0      0      1   |  1
  //   col          1      4      3      2   | n = 10
  //
  // Agreed (diagonal) = 1 + 2 + 2 + 1 = 6  ->  60%.
  // Every disagreement is one step, d^2 = 1: cells (0,1), (1,2), (2,1), (2,3)  ->  sum d^2 * n_ij = 4.
  // Expected, sum d^2 * row_i * col_j, with d^2 rows [0 1 4 9], [1 0 1 4], [4 1 0 1], [9 4 1 0] and col = [1 4 3 2]:
  //   aud 0: 2 * (0*1 + 1*4 + 4*3 + 9*2) = 2 * 34 = 68
  //   aud 1: 3 * (1*1 + 0*4 + 1*3 + 4*2) = 3 * 12 = 36
  //   aud 2: 4 * (4*1 + 1*4 + 0*3 + 1*2) = 4 * 10 = 40
  //   aud 3: 1 * (9*1 + 4*4 + 1*3 + 0*2) = 1 * 28 = 28      total 172
  // In proportions with w = d^2/9: sum w*O = 4/(10*9) = 4/90, sum w*E = 172/(100*9) = 172/900.
  // kappa = 1 - (4/90) / (172/900) = 1 - 40/172 = 1 - 10/43 = 33/43 = 0.767441860...
  // Moderator better (column < row): (2,1) -> 1 upgrade = 10%. Worse: (0,1), (1,2), (2,3) -> 3 downgrades = 30%.
  const pairs = pairsOf(
    [0, 0, 1],
    [0, 1, 1],
    [1, 1, 2],
    [1, 2, 1],
    [2, 1, 1],
    [2, 2, 2],
    [2, 3, 1],
    [3, 3, 1],
  );

  it('has the hand-computed kappa 33/43', () => {
    expect(pairs).toHaveLength(10);
    expect(weightedKappa(pairs, 4)).toBeCloseTo(33 / 43, 10);
    expect(weightedKappa(pairs, 4)).toBeCloseTo(0.76744186, 8);
  });

  it('has the hand-computed counts and rates', () => {
    const stats = agreementStats(pairs, 4);
    expect(stats).toMatchObject({ pairs: 10, agreed: 6, upgraded: 1, downgraded: 3 });
    expect(stats.percentAgreement).toBeCloseTo(60, 10);
    expect(stats.upgradeRate).toBeCloseTo(10, 10);
    expect(stats.downgradeRate).toBeCloseTo(30, 10);
    expect(stats.kappa).toBeCloseTo(33 / 43, 10);
  });
});

describe('3-category example cross-checked with the textbook count formula', () => {
  //              mod 0  mod 1  mod 2 | row
  //   aud 0        0      1      1   |  2
  //   aud 1        1      1      0   |  2
  //   aud 2        1      1      0   |  2
  //   col          2      3      1   | n = 6
  //
  // Weights w = (i-j)^2 / (3-1)^2: w = 1/4 for one step, 4/4 = 1 for two steps.
  // Observed counts o_ij: sum w*o = (0,1) 1/4 + (0,2) 1 + (1,0) 1/4 + (2,0) 1 + (2,1) 1/4 = 11/4.
  // Expected counts e_ij = row_i * col_j / 6 = col_j / 3: e = [2/3, 1, 1/3] in every row.
  //   aud 0: 0*2/3 + 1/4*1 + 1*1/3 = 7/12
  //   aud 1: 1/4*2/3 + 0*1 + 1/4*1/3 = 3/12
  //   aud 2: 1*2/3 + 1/4*1 + 0*1/3 = 11/12       sum w*e = 21/12 = 7/4
  // kappa_w = 1 - (11/4) / (7/4) = 1 - 11/7 = -4/7 = -0.571428571...
  // Agreed: only (1,1) -> 1/6 = 16.67%. Upgrades (1,0), (2,0), (2,1) = 3; downgrades (0,1), (0,2) = 2.
  const pairs = pairsOf([0, 1, 1], [0, 2, 1], [1, 0, 1], [1, 1, 1], [2, 0, 1], [2, 1, 1]);
  const table = [
    [0, 1, 1],
    [1, 1, 0],
    [1, 1, 0],
  ];

  it('matches the hand-worked value and the textbook formula', () => {
    expect(tableOf(pairs, 3)).toEqual(table);
    expect(textbookKappa(table)).toBeCloseTo(-4 / 7, 10);
    expect(weightedKappa(pairs, 3)).toBeCloseTo(-4 / 7, 10);
  });

  it('counts agreement, upgrades and downgrades', () => {
    const stats = agreementStats(pairs, 3);
    expect(stats).toMatchObject({ pairs: 6, agreed: 1, upgraded: 3, downgraded: 2 });
    expect(stats.percentAgreement).toBeCloseTo(100 / 6, 10);
    expect(stats.upgradeRate).toBeCloseTo(50, 10);
    expect(stats.downgradeRate).toBeCloseTo(100 / 3, 10);
  });

  it('textbook formula also agrees on the 4-category example', () => {
    const pairs4 = pairsOf(
      [0, 0, 1],
      [0, 1, 1],
      [1, 1, 2],
      [1, 2, 1],
      [2, 1, 1],
      [2, 2, 2],
      [2, 3, 1],
      [3, 3, 1],
    );
    expect(textbookKappa(tableOf(pairs4, 4))).toBeCloseTo(33 / 43, 10);
  });
});

describe('systematic disagreement', () => {
  it('gives negative kappa when the moderator reverses the scale', () => {
    // Outstanding <-> Requires improvement swapped, Good kept: pairs (0,2), (1,1), (2,0), k = 3.
    // Observed sum d^2 * n_ij = 4 + 0 + 4 = 8.
    // Rows and columns are all 1, so expected sum d^2 * row_i * col_j = sum of all d^2 in a 3x3 grid:
    //   [0 1 4] + [1 0 1] + [4 1 0] = 5 + 2 + 5 = 12.
    // kappa = 1 - n * 8 / 12 = 1 - 3 * 8 / 12 = 1 - 2 = -1, the lowest possible value.
    const pairs = pairsOf([0, 2, 1], [1, 1, 1], [2, 0, 1]);
    expect(weightedKappa(pairs, 3)).toBeCloseTo(-1, 10);
    expect(percentAgreement(pairs)).toBeCloseTo(100 / 3, 10);
  });

  it('keeps kappa positive when the moderator always downgrades by exactly one grade', () => {
    // The moderator always downgrades by one: (0,1) x 2, (1,2) x 2, k = 3. n = 4.
    // Observed sum d^2 * n_ij = 4 * 1 = 4.
    // Rows [2 2 0], columns [0 2 2]: expected = 2*(0*0 + 1*2 + 4*2) + 2*(1*0 + 0*2 + 1*2) = 2*10 + 2*2 = 24.
    // kappa = 1 - 4 * 4 / 24 = 1 - 2/3 = 1/3: the ordering is kept, so kappa is still positive
    // even though the percentage agreement is 0%.
    const pairs = pairsOf([0, 1, 2], [1, 2, 2]);
    expect(weightedKappa(pairs, 3)).toBeCloseTo(1 / 3, 10);
    expect(agreementStats(pairs, 3)).toMatchObject({
      agreed: 0,
      percentAgreement: 0,
      downgraded: 4,
      downgradeRate: 100,
    });
  });
});

describe('degenerate input', () => {
  it('returns nulls for no pairs', () => {
    expect(percentAgreement([])).toBeNull();
    expect(weightedKappa([], 4)).toBeNull();
    expect(agreementStats([], 4)).toEqual({
      pairs: 0,
      agreed: 0,
      percentAgreement: null,
      kappa: null,
      upgraded: 0,
      downgraded: 0,
      upgradeRate: null,
      downgradeRate: null,
    });
  });

  it('returns null kappa for a one-category scale', () => {
    // k = 1: every weight (i-j)^2 is 0, so expected disagreement is 0 and kappa is undefined.
    const pairs = pairsOf([0, 0, 3]);
    expect(weightedKappa(pairs, 1)).toBeNull();
    expect(agreementStats(pairs, 1)).toMatchObject({ percentAgreement: 100, kappa: null });
  });

  it('returns null kappa when both raters used one identical grade throughout', () => {
    // Only cell (1,1) is used: rows and columns are [0 3 0 0], and d^2 = 0 at (1,1), so expected = 0.
    expect(weightedKappa(pairsOf([1, 1, 3]), 4)).toBeNull();
  });

  it('rejects ranks outside the scale, non-integer ranks and bad category counts', () => {
    expect(() => weightedKappa([{ auditor: 4, moderator: 0 }], 4)).toThrow(RangeError);
    expect(() => weightedKappa([{ auditor: 0, moderator: -1 }], 4)).toThrow(RangeError);
    expect(() => weightedKappa([{ auditor: 1.5, moderator: 1 }], 4)).toThrow(RangeError);
    expect(() => weightedKappa([{ auditor: Number.NaN, moderator: 1 }], 4)).toThrow(RangeError);
    expect(() => agreementStats([{ auditor: 0, moderator: 4 }], 4)).toThrow(RangeError);
    expect(() => percentAgreement([{ auditor: 0.5, moderator: 0 }])).toThrow(RangeError);
    expect(() => percentAgreement([{ auditor: 0, moderator: -2 }])).toThrow(RangeError);
    expect(() => weightedKappa([], 0)).toThrow(RangeError);
    expect(() => weightedKappa([], 2.5)).toThrow(RangeError);
    expect(() => agreementBy([], String, () => ({ auditor: 0, moderator: 0 }), 0)).toThrow(RangeError);
  });
});

describe('agreementBy', () => {
  interface Moderated {
    section: string;
    auditor: number;
    moderator: number;
  }
  const items: Moderated[] = [
    { section: 'Plans', auditor: 1, moderator: 1 },
    { section: 'Voice of the child', auditor: 0, moderator: 2 },
    { section: 'Plans', auditor: 2, moderator: 1 },
    { section: 'Voice of the child', auditor: 2, moderator: 0 },
    { section: 'Plans', auditor: 0, moderator: 0 },
    { section: 'Supervision', auditor: 3, moderator: 3 },
  ];

  it('groups by key in order of first appearance and computes stats per group', () => {
    const result = agreementBy(
      items,
      (i) => i.section,
      (i) => ({ auditor: i.auditor, moderator: i.moderator }),
      4,
    );
    expect(result.map((g) => g.key)).toEqual(['Plans', 'Voice of the child', 'Supervision']);
    const [plans, voice, supervision] = result.map((g) => g.stats);

    // Plans: (1,1), (2,1), (0,0). Agreed 2 of 3, one upgrade (2 -> 1).
    // Rows [1 1 1 0], columns [1 2 0 0]. Observed sum d^2 * n_ij = 1.
    // Expected: aud 0: 1*(0*1 + 1*2) = 2; aud 1: 1*(1*1 + 0*2) = 1; aud 2: 1*(4*1 + 1*2) = 6; total 9.
    // kappa = 1 - 3 * 1 / 9 = 2/3.
    expect(plans).toMatchObject({ pairs: 3, agreed: 2, upgraded: 1, downgraded: 0 });
    expect(plans?.kappa).toBeCloseTo(2 / 3, 10);
    expect(plans?.upgradeRate).toBeCloseTo(100 / 3, 10);

    // Voice of the child: (0,2), (2,0). Rows [1 0 1 0], columns [1 0 1 0]. Observed = 4 + 4 = 8.
    // Expected = 1*1*(0 + 4) + 1*1*(4 + 0) = 8. kappa = 1 - 2 * 8 / 8 = -1.
    expect(voice).toMatchObject({ pairs: 2, agreed: 0, upgraded: 1, downgraded: 1, upgradeRate: 50 });
    expect(voice?.kappa).toBeCloseTo(-1, 10);

    // Supervision: a single pair, one identical grade -> kappa undefined.
    expect(supervision).toMatchObject({ pairs: 1, agreed: 1, percentAgreement: 100, kappa: null });
  });

  it('returns no groups for no items', () => {
    expect(agreementBy([], String, () => ({ auditor: 0, moderator: 0 }), 4)).toEqual([]);
  });
});

describe('properties', () => {
  const scaleAndPairs = fc.integer({ min: 2, max: 6 }).chain((k) =>
    fc.tuple(
      fc.constant(k),
      fc.array(
        fc.record({
          auditor: fc.integer({ min: 0, max: k - 1 }),
          moderator: fc.integer({ min: 0, max: k - 1 }),
        }),
        { maxLength: 40 },
      ),
    ),
  );

  it('kappa is in [-1, 1] when defined, and equals 1 exactly when every pair agrees', () => {
    fc.assert(
      fc.property(scaleAndPairs, ([k, pairs]) => {
        const kappa = weightedKappa(pairs, k);
        const allAgree = pairs.every((p) => p.auditor === p.moderator);
        const oneSharedGrade =
          allAgree && pairs.length > 0 && pairs.every((p) => p.auditor === pairs[0]?.auditor);
        // Expected disagreement is 0 only with no pairs or one identical grade throughout.
        expect(kappa === null).toBe(pairs.length === 0 || oneSharedGrade);
        if (kappa !== null) {
          expect(kappa).toBeGreaterThanOrEqual(-1);
          expect(kappa).toBeLessThanOrEqual(1);
          expect(kappa === 1).toBe(allAgree);
        }
      }),
    );
  });

  it('kappa is symmetric when auditor and moderator are swapped', () => {
    fc.assert(
      fc.property(scaleAndPairs, ([k, pairs]) => {
        const swapped = pairs.map((p) => ({ auditor: p.moderator, moderator: p.auditor }));
        expect(weightedKappa(swapped, k)).toBe(weightedKappa(pairs, k));
      }),
    );
  });

  it('kappa matches the textbook count formula', () => {
    fc.assert(
      fc.property(scaleAndPairs, ([k, pairs]) => {
        const kappa = weightedKappa(pairs, k);
        if (kappa !== null) expect(kappa).toBeCloseTo(textbookKappa(tableOf(pairs, k)), 9);
      }),
    );
  });
});
