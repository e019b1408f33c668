import type { User } from '../users/user';
import { conflictOf, standingOf, type CaseStaffing, type Standing } from '../conflicts/rule';
import { createRng } from './rng';

export type CaseToAllocate = CaseStaffing;

/** An auditor as allocation sees them: their standing (for conflicts) and their room in this round. */
export interface AuditorAvailability extends Standing {
  userId: number;
  /** Most audits they can take in this round. */
  capacity: number;
}

/** What conflicts and capacity are judged on, from an auditor's user record. */
export function availabilityOf(
  user: Pick<
    User,
    | 'id'
    | 'personId'
    | 'homeTeamId'
    | 'managedTeamIds'
    | 'serviceAreaTeamIds'
    | 'roles'
    | 'restrictedCaseRefs'
  >,
  capacity: number,
): AuditorAvailability {
  return { userId: user.id, ...standingOf(user), capacity };
}

export interface Allocation {
  caseId: number;
  auditorUserId: number;
}

export interface Unallocated {
  caseId: number;
  reason: string;
}

/**
 * Allocates cases to auditors: never to an auditor in the case's team, managing it or leading its service
 * area, nor to the allocated worker or their manager; never beyond an auditor's capacity; loads kept as even as capacities allow.
 * Cases with the fewest possible auditors go first, each to the possible auditor with the lightest load
 * for their capacity (ties broken by the seed). A case no possible auditor has room for is left
 * unallocated, with the reason.
 */
export function allocate(
  cases: readonly CaseToAllocate[],
  auditors: readonly AuditorAvailability[],
  seed: number,
): { allocations: Allocation[]; unallocated: Unallocated[] } {
  const rng = createRng(seed, 'allocation');
  const tieBreak = new Map(auditors.map((a) => [a.userId, rng.below(1_000_000)]));
  const load = new Map(auditors.map((a) => [a.userId, 0]));
  const possible = cases.map((c) => ({
    c,
    auditors: auditors.filter((a) => a.capacity > 0 && !conflictOf(a, c)),
    order: rng.below(1_000_000),
  }));
  possible.sort((x, y) => x.auditors.length - y.auditors.length || x.order - y.order);

  const allocations: Allocation[] = [];
  const unallocated: Unallocated[] = [];
  for (const { c, auditors: candidates } of possible) {
    const withRoom = candidates.filter((a) => (load.get(a.userId) as number) < a.capacity);
    if (withRoom.length === 0) {
      unallocated.push({
        caseId: c.caseId,
        reason:
          candidates.length === 0
            ? 'no auditor is free of a conflict of interest with this case'
            : 'every auditor who could take it has reached their capacity',
      });
      continue;
    }
    const ratio = (a: AuditorAvailability) => (load.get(a.userId) as number) / a.capacity;
    const best = withRoom.reduce((a, b) =>
      ratio(b) < ratio(a) ||
      (ratio(b) === ratio(a) &&
        ((load.get(b.userId) as number) < (load.get(a.userId) as number) ||
          ((load.get(b.userId) as number) === (load.get(a.userId) as number) &&
            (tieBreak.get(b.userId) as number) < (tieBreak.get(a.userId) as number))))
        ? b
        : a,
    );
    load.set(best.userId, (load.get(best.userId) as number) + 1);
    allocations.push({ caseId: c.caseId, auditorUserId: best.userId });
  }
  return { allocations, unallocated };
}
