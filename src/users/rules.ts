import type { Role } from '../auth/roles';

/**
 * What a user answers for: their roles, the teams they manage and the service areas they lead. Teams and
 * areas are kept whatever the roles: they also keep people away from auditing or moderating the practice
 * they manage or lead (src/sampling/allocate.ts), and a team manager between teams is still one.
 */
export interface Responsibilities {
  roles: readonly Role[];
  teamIds: readonly number[];
  serviceAreaIds: readonly number[];
}

const sameSet = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((item) => b.includes(item));

/** The fields that differ, as the audit log's before and after; undefined when nothing changed. */
export function responsibilityChanges(
  before: Responsibilities,
  after: Responsibilities,
): { before: Partial<Responsibilities>; after: Partial<Responsibilities> } | undefined {
  const changed = (['roles', 'teamIds', 'serviceAreaIds'] as const).filter(
    (key) => !sameSet(before[key], after[key]),
  );
  if (changed.length === 0) return undefined;
  return {
    before: Object.fromEntries(changed.map((key) => [key, before[key]])),
    after: Object.fromEntries(changed.map((key) => [key, after[key]])),
  };
}
