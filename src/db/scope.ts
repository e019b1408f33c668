import type { Knex } from 'knex';
import type { TeamScope } from '../auth/scope';

/** Restricts a query to the teams in `scope`; `column` is the team id column of the query's main table. */
export function applyTeamScope<T extends Knex.QueryBuilder>(query: T, scope: TeamScope, column: string): T {
  if (scope.kind === 'all') return query;
  if (scope.teamIds.length === 0) return query.whereRaw('false') as T;
  return query.whereIn(column, scope.teamIds) as T;
}

/**
 * Restricts a query of case-level records to the scope: its teams, and of the restricted cases only those
 * the scope names. `caseAlias` is the query's alias for `case_record`.
 */
export function applyCaseScope<T extends Knex.QueryBuilder>(
  query: T,
  scope: TeamScope,
  teamColumn: string,
  caseAlias: string,
): T {
  applyTeamScope(query, scope, teamColumn);
  if (scope.kind === 'teams' && scope.restrictedCaseRefs)
    query.whereRaw(`(not ${caseAlias}.restricted or ${caseAlias}.case_ref = any(?::text[]))`, [
      [...scope.restrictedCaseRefs],
    ]);
  return query;
}

/**
 * SQL that holds when the user whose id is in `userColumn` may see the case `caseAlias` for its restriction:
 * it is not restricted, they were granted it, or they are an admin (src/auth/scope.ts `maySeeRestricted`).
 */
export const restrictedSeenBy = (caseAlias: string, userColumn: string) =>
  `(not ${caseAlias}.restricted
    or exists (select 1 from restricted_case_access g where g.case_ref = ${caseAlias}.case_ref and g.user_id = ${userColumn})
    or exists (select 1 from user_role ur where ur.user_id = ${userColumn} and ur.role_code = 'admin'))`;
