import type { Role } from './roles';

/** Which teams' records a user may see. Every repository query on team-owned data takes one. */
export type TeamScope = { kind: 'all' } | { kind: 'teams'; teamIds: readonly number[] };

export interface ScopedUser {
  roles: readonly Role[];
  managedTeamIds: readonly number[];
  serviceAreaTeamIds: readonly number[];
}

/**
 * Admins see every team; directors see every team too, but only in aggregate (their routes never show
 * case-level data). Heads of service see the teams of their service areas, team managers the teams they
 * manage. Auditors and moderators see no team's records by team: they see the audits allocated to them.
 */
export function teamScopeFor(user: ScopedUser): TeamScope {
  if (user.roles.includes('admin') || user.roles.includes('director')) return { kind: 'all' };
  const teamIds = new Set<number>();
  if (user.roles.includes('team_manager')) user.managedTeamIds.forEach((id) => teamIds.add(id));
  if (user.roles.includes('head_of_service')) user.serviceAreaTeamIds.forEach((id) => teamIds.add(id));
  return { kind: 'teams', teamIds: [...teamIds].sort((a, b) => a - b) };
}

export function scopeIncludes(scope: TeamScope, teamId: number | null): boolean {
  if (scope.kind === 'all') return true;
  return teamId !== null && scope.teamIds.includes(teamId);
}
