import type { Role } from './roles';

/**
 * Which teams' records a user may see. Every repository query on team-owned data takes one. A scope of
 * case-level records also names the restricted cases the user was granted: every other restricted case is
 * left out, as if it did not exist (only admins, whose scope is `all`, see them all).
 */
export type TeamScope =
  { kind: 'all' } | { kind: 'teams'; teamIds: readonly number[]; restrictedCaseRefs?: readonly string[] };

export interface ScopedUser {
  roles: readonly Role[];
  managedTeamIds: readonly number[];
  serviceAreaTeamIds: readonly number[];
  /** Restricted cases they were granted, by case reference. */
  restrictedCaseRefs?: readonly string[];
}

/**
 * What a scope is worked out for. Each permission is granted by its own roles, so holding a wide role for
 * one purpose never widens another: a director who is also a team manager sees aggregates for the whole
 * service but the case-level records of their own teams only.
 */
export type ScopedPermission =
  /** Case-level records: cases, their audits, teams and their staff. */
  | 'caseRecords'
  /** Aggregate figures with no child-level detail (reports). */
  | 'aggregates';

/** How far a role reaches for a permission. */
type Reach = 'all' | 'managed-teams' | 'service-area-teams';

/**
 * The grants, permission by permission. Auditors and moderators reach no team's records by team: they see
 * the audits allocated to them and the moderations they may take. Directors never see case-level records.
 */
const GRANTS: Record<ScopedPermission, Partial<Record<Role, Reach>>> = {
  caseRecords: { admin: 'all', team_manager: 'managed-teams', head_of_service: 'service-area-teams' },
  aggregates: {
    admin: 'all',
    director: 'all',
    head_of_service: 'service-area-teams',
    team_manager: 'managed-teams',
  },
};

/** The teams whose records the user may see for this permission: the union of what each role grants. */
export function scopeFor(user: ScopedUser, permission: ScopedPermission): TeamScope {
  const reaches = user.roles.map((role) => GRANTS[permission][role]);
  if (reaches.includes('all')) return { kind: 'all' };
  const teamIds = new Set<number>();
  if (reaches.includes('managed-teams')) user.managedTeamIds.forEach((id) => teamIds.add(id));
  if (reaches.includes('service-area-teams')) user.serviceAreaTeamIds.forEach((id) => teamIds.add(id));
  const sorted = [...teamIds].sort((a, b) => a - b);
  // Case-level records leave out the restricted cases the user was not granted.
  return permission === 'caseRecords'
    ? { kind: 'teams', teamIds: sorted, restrictedCaseRefs: user.restrictedCaseRefs ?? [] }
    : { kind: 'teams', teamIds: sorted };
}

/** The teams whose cases, audits and staff the user may see, and the restricted cases among them. */
export const caseScopeFor = (user: ScopedUser): TeamScope => scopeFor(user, 'caseRecords');

/** A case as restriction sees it. */
export interface RestrictableCase {
  caseRef: string;
  restricted: boolean;
}

/**
 * Whether a user may see a case for its restriction alone: every case that is not restricted; a restricted
 * one only if they are an admin or were granted it. Their roles and teams must still allow it too.
 */
export function maySeeRestricted(
  user: Pick<ScopedUser, 'roles' | 'restrictedCaseRefs'>,
  c: RestrictableCase,
): boolean {
  return !c.restricted || user.roles.includes('admin') || (user.restrictedCaseRefs ?? []).includes(c.caseRef);
}

export function scopeIncludes(scope: TeamScope, teamId: number | null): boolean {
  if (scope.kind === 'all') return true;
  return teamId !== null && scope.teamIds.includes(teamId);
}
