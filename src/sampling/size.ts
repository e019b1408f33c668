/** How many cases a round samples. */
export type SizeRule =
  | { kind: 'fixed'; total: number }
  | { kind: 'per-team'; perTeam: number }
  | {
      kind: 'margin-of-error';
      margin: number;
      confidence?: 0.9 | 0.95 | 0.99 | null;
      proportion?: number | null;
    };

const Z: Record<number, number> = { 0.9: 1.6449, 0.95: 1.96, 0.99: 2.5758 };

export interface MarginOfErrorSize {
  population: number;
  margin: number;
  confidence: number;
  z: number;
  proportion: number;
  /** Sample size for an infinite population: z² p (1 − p) / e². */
  infinite: number;
  /** With the finite population correction: n₀ / (1 + (n₀ − 1) / N), rounded up. */
  size: number;
}

/**
 * The sample size that estimates a proportion within ±margin at the given confidence (95 % by default),
 * with the finite population correction. p = 0.5 (the default) is the most cautious assumption.
 */
export function marginOfErrorSize(
  population: number,
  margin: number,
  confidence = 0.95,
  proportion = 0.5,
): MarginOfErrorSize {
  const z = Z[confidence] ?? 1.96;
  const infinite = (z * z * proportion * (1 - proportion)) / (margin * margin);
  const size =
    population === 0 ? 0 : Math.min(population, Math.ceil(infinite / (1 + (infinite - 1) / population)));
  return { population, margin, confidence, z, proportion, infinite, size };
}

/**
 * Shares `total` across strata in proportion to their sizes (largest remainder method), never giving a
 * stratum more than it has: what one cannot take is shared among the rest.
 */
export function proportionalShares(sizes: readonly number[], total: number): number[] {
  const shares = sizes.map(() => 0);
  let remaining = Math.min(
    total,
    sizes.reduce((a, b) => a + b, 0),
  );
  let open = sizes.map((_, i) => i).filter((i) => (sizes[i] as number) > 0);
  while (remaining > 0 && open.length > 0) {
    const room = open.map((i) => (sizes[i] as number) - (shares[i] as number));
    const weight = room.reduce((a, b) => a + b, 0);
    const exact = room.map((r) => (remaining * r) / weight);
    const floors = exact.map(Math.floor);
    let left = remaining - floors.reduce((a, b) => a + b, 0);
    // Hand out what rounding left over, largest remainders first (ties: earlier strata first).
    const order = exact
      .map((e, k) => ({ k, remainder: e - (floors[k] as number) }))
      .sort((a, b) => b.remainder - a.remainder || a.k - b.k);
    for (const { k } of order) {
      if (left === 0) break;
      floors[k] = (floors[k] as number) + 1;
      left -= 1;
    }
    open.forEach((i, k) => {
      const give = Math.min(floors[k] as number, room[k] as number);
      shares[i] = (shares[i] as number) + give;
      remaining -= give;
    });
    open = open.filter((i) => (shares[i] as number) < (sizes[i] as number));
  }
  return shares;
}
