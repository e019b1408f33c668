import type { Knex } from 'knex';
import type { TeamScope } from '../auth/scope';

/** Restricts a query to the teams in `scope`; `column` is the team id column of the query's main table. */
export function applyTeamScope<T extends Knex.QueryBuilder>(query: T, scope: TeamScope, column: string): T {
  if (scope.kind === 'all') return query;
  if (scope.teamIds.length === 0) return query.whereRaw('false') as T;
  return query.whereIn(column, scope.teamIds) as T;
}
