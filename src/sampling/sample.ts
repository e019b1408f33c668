import { createRng } from './rng';
import { marginOfErrorSize, proportionalShares, type MarginOfErrorSize, type SizeRule } from './size';

export type Stratify = 'none' | 'team' | 'case-type';

/** A case that passed the filters and exclusions, in a stable order (by id). */
export interface Candidate {
  id: number;
  teamId: number;
  caseType: string;
}

export interface StratumPlan {
  key: string;
  eligible: number;
  size: number;
}

export interface SamplePlan {
  strata: StratumPlan[];
  total: number;
  marginOfError?: MarginOfErrorSize;
}

function stratumOf(candidate: Candidate, by: Stratify): string {
  if (by === 'team') return `team:${candidate.teamId}`;
  if (by === 'case-type') return `type:${candidate.caseType}`;
  return 'all';
}

/** Groups candidates by stratum, keeping their order inside each; strata in order of first appearance. */
export function groupByStratum(candidates: readonly Candidate[], by: Stratify): Map<string, Candidate[]> {
  const groups = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const key = stratumOf(candidate, by);
    const group = groups.get(key);
    if (group) group.push(candidate);
    else groups.set(key, [candidate]);
  }
  return groups;
}

/** How many cases each stratum gives, under the size rule. A quota per team always stratifies by team. */
export function planSample(groups: ReadonlyMap<string, ArrayLike<unknown>>, rule: SizeRule): SamplePlan {
  const keys = [...groups.keys()];
  const sizes = keys.map((k) => groups.get(k)?.length ?? 0);
  const eligible = sizes.reduce((a, b) => a + b, 0);
  let shares: number[];
  let marginOfError: MarginOfErrorSize | undefined;
  if (rule.kind === 'per-team') {
    shares = sizes.map((n) => Math.min(n, rule.perTeam));
  } else if (rule.kind === 'fixed') {
    shares = proportionalShares(sizes, rule.total);
  } else {
    marginOfError = marginOfErrorSize(
      eligible,
      rule.margin,
      rule.confidence ?? undefined,
      rule.proportion ?? undefined,
    );
    shares = proportionalShares(sizes, marginOfError.size);
  }
  const strata = keys.map((key, i) => ({ key, eligible: sizes[i] as number, size: shares[i] as number }));
  return { strata, total: shares.reduce((a, b) => a + b, 0), ...(marginOfError ? { marginOfError } : {}) };
}

/**
 * Chooses `size` of the stratum's members uniformly at random (a partial Fisher–Yates shuffle), with a
 * generator seeded by the round's seed and the stratum: the same seed and population always give the same
 * choice, and a stratum's choice does not depend on the others. The shuffle is kept sparse (only the
 * positions it swaps), so choosing a few from a million costs a few steps, not a copy of the million.
 */
export function chooseInStratum<T>(members: ArrayLike<T>, size: number, seed: number, stratum: string): T[] {
  const rng = createRng(seed, stratum);
  const swapped = new Map<number, number>();
  const at = (i: number) => swapped.get(i) ?? i;
  const chosen: T[] = [];
  for (let i = 0; i < Math.min(size, members.length); i++) {
    const j = i + rng.below(members.length - i);
    const picked = at(j);
    swapped.set(j, at(i));
    swapped.set(i, picked);
    chosen.push(members[picked] as T);
  }
  return chosen;
}

export interface Sampled extends Candidate {
  stratum: string;
}

/** Draws from strata already formed (each in a stable order): the plan per stratum, then a uniform choice. */
export function drawFromGroups<T>(
  groups: ReadonlyMap<string, ArrayLike<T>>,
  rule: SizeRule,
  seed: number,
): { plan: SamplePlan; sample: { member: T; stratum: string }[] } {
  const plan = planSample(groups, rule);
  const sample = plan.strata.flatMap((stratum) =>
    chooseInStratum(groups.get(stratum.key) ?? [], stratum.size, seed, stratum.key).map((member) => ({
      member,
      stratum: stratum.key,
    })),
  );
  return { plan, sample };
}

/** Draws the sample: candidates grouped into strata (a quota per team always by team), then drawn. */
export function drawSample(
  candidates: readonly Candidate[],
  rule: SizeRule,
  by: Stratify,
  seed: number,
): { plan: SamplePlan; sample: Sampled[] } {
  const groups = groupByStratum(candidates, effectiveStrata(rule, by));
  const { plan, sample } = drawFromGroups(groups, rule, seed);
  return { plan, sample: sample.map(({ member, stratum }) => ({ ...member, stratum })) };
}

/** What a plan really stratifies by: a quota per team is always by team. */
export function effectiveStrata(rule: SizeRule, by: Stratify): Stratify {
  return rule.kind === 'per-team' ? 'team' : by;
}
