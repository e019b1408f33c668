import type { Exclusions } from './types';

/**
 * Why a case is left out of a round, in the order a case meeting several reasons is counted: each case
 * left out is counted once, under the first reason in force that it meets, so the reasons add up to the
 * total left out.
 */
export const LEFT_OUT_REASONS = ['closed', 'restricted', 'inOtherOpenRound', 'recentlyAudited'] as const;
export type LeftOutReason = (typeof LEFT_OUT_REASONS)[number];
export type LeftOutCounts = Record<LeftOutReason, number>;

/** Each reason in words, after a count: "3 closed". */
export const LEFT_OUT_WORDS: Record<LeftOutReason, string> = {
  closed: 'closed',
  restricted: 'restricted',
  inOtherOpenRound: 'in another open round',
  recentlyAudited: 'audited recently',
};

/** What the exclusions look at, case by case. */
export type CaseFlags = Record<LeftOutReason, boolean>;

/** The reason in force that leaves this case out, if any. */
export function leftOutReason(flags: CaseFlags, exclusions: Exclusions): LeftOutReason | undefined {
  const inForce: CaseFlags = {
    closed: exclusions.closed,
    restricted: exclusions.restricted,
    inOtherOpenRound: exclusions.inOtherOpenRound,
    recentlyAudited: exclusions.auditedWithinMonths !== null,
  };
  return LEFT_OUT_REASONS.find((reason) => inForce[reason] && flags[reason]);
}

/** The cases of one stratum and team that share the same flags: their ids, in any order. */
export interface PopulationGroup extends CaseFlags {
  stratum: string;
  teamId: number;
  ids: Float64Array;
}

/** Cases that passed the filters, those left out (by reason) and those eligible: population = left out + eligible. */
export interface PopulationCount {
  population: number;
  leftOut: LeftOutCounts;
  eligible: number;
}

export interface Population {
  counts: PopulationCount;
  /** Each stratum's eligible ids, ascending; strata in the order of their first id (as sampling meets them). */
  strata: Map<string, Float64Array>;
  /** The same counts per team, for the teams with any case that passed the filters. */
  teams: Map<number, PopulationCount>;
}

const emptyCount = (): PopulationCount => ({
  population: 0,
  leftOut: { closed: 0, restricted: 0, inOtherOpenRound: 0, recentlyAudited: 0 },
  eligible: 0,
});

function add(count: PopulationCount, n: number, reason: LeftOutReason | undefined): void {
  count.population += n;
  if (reason) count.leftOut[reason] += n;
  else count.eligible += n;
}

/** Joins id lists into one ascending list (sorted once, however many lists). */
function joinAscending(lists: readonly Float64Array[]): Float64Array {
  if (lists.length === 1) return (lists[0] as Float64Array).slice().sort();
  const joined = new Float64Array(lists.reduce((n, l) => n + l.length, 0));
  let at = 0;
  for (const list of lists) {
    joined.set(list, at);
    at += list.length;
  }
  return joined.sort();
}

/** Counts a population, each case under at most one reason, and gathers the eligible ids into strata. */
export function summarisePopulation(groups: readonly PopulationGroup[], exclusions: Exclusions): Population {
  const counts = emptyCount();
  const teams = new Map<number, PopulationCount>();
  const eligible = new Map<string, Float64Array[]>();
  for (const group of groups) {
    if (group.ids.length === 0) continue;
    const reason = leftOutReason(group, exclusions);
    add(counts, group.ids.length, reason);
    let team = teams.get(group.teamId);
    if (!team) teams.set(group.teamId, (team = emptyCount()));
    add(team, group.ids.length, reason);
    if (reason) continue;
    const lists = eligible.get(group.stratum);
    if (lists) lists.push(group.ids);
    else eligible.set(group.stratum, [group.ids]);
  }
  const strata = [...eligible].map(([key, lists]) => ({ key, ids: joinAscending(lists) }));
  strata.sort((a, b) => (a.ids[0] as number) - (b.ids[0] as number));
  return { counts, strata: new Map(strata.map((s) => [s.key, s.ids])), teams };
}
