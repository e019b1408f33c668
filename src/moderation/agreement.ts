/**
 * Agreement between an auditor's grade and a moderator's grade for the same case-file audit.
 *
 * Grades are ordinal (for example Outstanding / Good / Requires improvement / Inadequate) and are passed
 * as ranks on that scale: 0 is the best grade, `categories - 1` the worst.
 */

/** One compared judgement: ranks on the same ordinal scale, 0 = best. */
export interface GradePair {
  auditor: number;
  moderator: number;
}

export interface AgreementStats {
  /** How many audits were moderated. */
  pairs: number;
  /** How many of them the moderator graded exactly as the auditor did. */
  agreed: number;
  /** `agreed / pairs * 100`; null when there are no pairs. */
  percentAgreement: number | null;
  /** Quadratic-weighted Cohen's kappa (see {@link weightedKappa}); null when undefined. */
  kappa: number | null;
  /** Moderator's grade better than the auditor's (moderator rank < auditor rank). */
  upgraded: number;
  /** Moderator's grade worse than the auditor's (moderator rank > auditor rank). */
  downgraded: number;
  /** `upgraded / pairs * 100`; null when there are no pairs. */
  upgradeRate: number | null;
  /** `downgraded / pairs * 100`; null when there are no pairs. */
  downgradeRate: number | null;
}

function assertCategories(categories: number): void {
  if (!Number.isInteger(categories) || categories < 1) {
    throw new RangeError(
      `The number of grade categories must be a whole number of at least 1, got ${categories}`,
    );
  }
}

/** Throws a RangeError unless `rank` is a whole number from 0 to `categories - 1`. */
function assertRank(rank: number, categories = Number.POSITIVE_INFINITY): void {
  if (!Number.isInteger(rank) || rank < 0 || rank >= categories) {
    const range = Number.isFinite(categories) ? `from 0 to ${categories - 1}` : 'of at least 0';
    throw new RangeError(`A grade rank must be a whole number ${range}, got ${rank}`);
  }
}

const percentOf = (count: number, total: number): number | null =>
  total === 0 ? null : (count / total) * 100;

/**
 * Percentage agreement: the share of moderated audits where the moderator gave exactly the auditor's grade.
 * Easy to read, but it ignores how far apart the grades are and how often the two would agree by chance.
 * Returns null when there are no pairs.
 */
export function percentAgreement(pairs: readonly GradePair[]): number | null {
  for (const { auditor, moderator } of pairs) {
    assertRank(auditor);
    assertRank(moderator);
  }
  return percentOf(pairs.filter((p) => p.auditor === p.moderator).length, pairs.length);
}

/**
 * Quadratic-weighted Cohen's kappa over categories 0..categories-1.
 *
 * In words: how much better the auditor and moderator agree than they would if each graded at random
 * with their own habits (how often each uses each grade). 1 is perfect agreement, 0 is no better than
 * chance, below 0 is worse than chance (systematic disagreement); -1 is the lowest possible value.
 * Disagreements are penalised by the square of the distance between grades, so Good vs Inadequate
 * (two steps) counts four times as much as Good vs Requires improvement (one step).
 *
 * Formula: with weights w_ij = (i-j)^2/(k-1)^2, observed proportions O and expected proportions
 * E = (auditor's grade shares) x (moderator's grade shares), kappa = 1 - sum(w*O) / sum(w*E).
 * It is computed on whole counts, where the common factors n and (k-1)^2 cancel:
 * kappa = 1 - n * sum((i-j)^2 * n_ij) / sum((i-j)^2 * row_i * col_j), so it is exact and symmetric.
 *
 * Returns null (kappa undefined) when the expected disagreement sum(w*E) is 0: no pairs, a scale of a
 * single category, or both raters used one and the same grade for every pair. In that last case they
 * agreed every time, but there was no room to disagree by chance, so kappa says nothing.
 *
 * Throws a RangeError for a rank that is not a whole number from 0 to categories - 1.
 */
export function weightedKappa(pairs: readonly GradePair[], categories: number): number | null {
  assertCategories(categories);
  const auditorCounts = new Array<number>(categories).fill(0);
  const moderatorCounts = new Array<number>(categories).fill(0);
  let observed = 0; // sum over pairs of (auditor - moderator)^2, i.e. sum (i-j)^2 * n_ij
  for (const { auditor, moderator } of pairs) {
    assertRank(auditor, categories);
    assertRank(moderator, categories);
    auditorCounts[auditor] = (auditorCounts[auditor] ?? 0) + 1;
    moderatorCounts[moderator] = (moderatorCounts[moderator] ?? 0) + 1;
    observed += (auditor - moderator) ** 2;
  }
  let expected = 0; // sum (i-j)^2 * row_i * col_j
  auditorCounts.forEach((row, i) => {
    moderatorCounts.forEach((col, j) => {
      expected += (i - j) ** 2 * row * col;
    });
  });
  if (expected === 0) return null;
  return 1 - (pairs.length * observed) / expected;
}

/**
 * All agreement measures for a set of moderated audits: counts, percentage agreement, weighted kappa,
 * and how often the moderator graded up (better) or down (worse) compared with the auditor.
 * Rates are percentages of all pairs; they and kappa are null when there are no pairs.
 */
export function agreementStats(pairs: readonly GradePair[], categories: number): AgreementStats {
  const kappa = weightedKappa(pairs, categories); // also validates every rank
  const agreed = pairs.filter((p) => p.moderator === p.auditor).length;
  const upgraded = pairs.filter((p) => p.moderator < p.auditor).length;
  const downgraded = pairs.filter((p) => p.moderator > p.auditor).length;
  return {
    pairs: pairs.length,
    agreed,
    percentAgreement: percentOf(agreed, pairs.length),
    kappa,
    upgraded,
    downgraded,
    upgradeRate: percentOf(upgraded, pairs.length),
    downgradeRate: percentOf(downgraded, pairs.length),
  };
}

/**
 * Groups items by a key (section, auditor, round...) and computes {@link agreementStats} for each group.
 * Groups are returned in the order their key first appears in `items`.
 */
export function agreementBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  pair: (item: T) => GradePair,
  categories: number,
): { key: string; stats: AgreementStats }[] {
  assertCategories(categories);
  const groups = new Map<string, GradePair[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(pair(item));
    else groups.set(k, [pair(item)]);
  }
  return [...groups].map(([k, pairs]) => ({ key: k, stats: agreementStats(pairs, categories) }));
}
