import fc from 'fast-check';
import { ROLES, type Role } from './roles';
import { scopeIncludes, teamScopeFor } from './scope';

const user = (roles: Role[], managedTeamIds: number[] = [], serviceAreaTeamIds: number[] = []) => ({
  roles,
  managedTeamIds,
  serviceAreaTeamIds,
});

describe('teamScopeFor', () => {
  it('gives admins and directors every team', () => {
    expect(teamScopeFor(user(['admin']))).toEqual({ kind: 'all' });
    expect(teamScopeFor(user(['director']))).toEqual({ kind: 'all' });
  });

  it('gives team managers their teams and heads of service the teams of their service areas', () => {
    expect(teamScopeFor(user(['team_manager'], [3, 1], [7]))).toEqual({ kind: 'teams', teamIds: [1, 3] });
    expect(teamScopeFor(user(['head_of_service'], [3], [7, 8]))).toEqual({ kind: 'teams', teamIds: [7, 8] });
    expect(teamScopeFor(user(['team_manager', 'head_of_service'], [3], [3, 8]))).toEqual({
      kind: 'teams',
      teamIds: [3, 8],
    });
  });

  it('gives auditors and moderators no team by team', () => {
    expect(teamScopeFor(user(['auditor', 'moderator'], [1], [2]))).toEqual({ kind: 'teams', teamIds: [] });
  });

  it('never lets a non-admin see a team they neither manage nor lead', () => {
    fc.assert(
      fc.property(
        fc.subarray([...ROLES].filter((r) => r !== 'admin' && r !== 'director')),
        fc.uniqueArray(fc.integer({ min: 1, max: 50 })),
        fc.uniqueArray(fc.integer({ min: 1, max: 50 })),
        fc.integer({ min: 1, max: 50 }),
        (roles, managed, led, team) => {
          const scope = teamScopeFor(user(roles, managed, led));
          const entitled =
            (roles.includes('team_manager') && managed.includes(team)) ||
            (roles.includes('head_of_service') && led.includes(team));
          expect(scopeIncludes(scope, team)).toBe(entitled);
        },
      ),
    );
  });

  it('never includes a team-less record in a limited scope', () => {
    expect(scopeIncludes({ kind: 'teams', teamIds: [1] }, null)).toBe(false);
    expect(scopeIncludes({ kind: 'all' }, null)).toBe(true);
  });
});
