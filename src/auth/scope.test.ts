import fc from 'fast-check';
import { ROLES, type Role } from './roles';
import { caseScopeFor, scopeFor, scopeIncludes } from './scope';

const user = (roles: Role[], managedTeamIds: number[] = [], serviceAreaTeamIds: number[] = []) => ({
  roles,
  managedTeamIds,
  serviceAreaTeamIds,
});

describe('caseScopeFor', () => {
  it('gives admins every team and directors none', () => {
    expect(caseScopeFor(user(['admin']))).toEqual({ kind: 'all' });
    expect(caseScopeFor(user(['director'], [3], [7]))).toEqual({
      kind: 'teams',
      teamIds: [],
      restrictedCaseRefs: [],
    });
  });

  it('gives team managers their teams and heads of service the teams of their service areas', () => {
    expect(caseScopeFor(user(['team_manager'], [3, 1], [7]))).toEqual({
      kind: 'teams',
      teamIds: [1, 3],
      restrictedCaseRefs: [],
    });
    expect(caseScopeFor(user(['head_of_service'], [3], [7, 8]))).toEqual({
      kind: 'teams',
      teamIds: [7, 8],
      restrictedCaseRefs: [],
    });
    expect(caseScopeFor(user(['team_manager', 'head_of_service'], [3], [3, 8]))).toEqual({
      kind: 'teams',
      teamIds: [3, 8],
      restrictedCaseRefs: [],
    });
  });

  it('never widens a team manager’s or head of service’s case scope for also being a director', () => {
    expect(caseScopeFor(user(['director', 'team_manager'], [3]))).toEqual({
      kind: 'teams',
      teamIds: [3],
      restrictedCaseRefs: [],
    });
    expect(caseScopeFor(user(['director', 'head_of_service'], [], [7, 8]))).toEqual({
      kind: 'teams',
      teamIds: [7, 8],
      restrictedCaseRefs: [],
    });
  });

  it('names the restricted cases a user was granted in their case scope, and in no other', () => {
    expect(caseScopeFor({ ...user(['team_manager'], [3]), restrictedCaseRefs: ['CH-1'] })).toEqual({
      kind: 'teams',
      teamIds: [3],
      restrictedCaseRefs: ['CH-1'],
    });
    expect(caseScopeFor({ ...user(['admin']), restrictedCaseRefs: [] })).toEqual({ kind: 'all' });
    expect(scopeFor({ ...user(['director']), restrictedCaseRefs: ['CH-1'] }, 'aggregates')).toEqual({
      kind: 'all',
    });
  });

  it('gives auditors and moderators no team by team', () => {
    expect(caseScopeFor(user(['auditor', 'moderator'], [1], [2]))).toEqual({
      kind: 'teams',
      teamIds: [],
      restrictedCaseRefs: [],
    });
  });

  it('never lets anyone but an admin see a team they neither manage nor lead, whatever roles they hold', () => {
    fc.assert(
      fc.property(
        fc.subarray([...ROLES]),
        fc.uniqueArray(fc.integer({ min: 1, max: 50 })),
        fc.uniqueArray(fc.integer({ min: 1, max: 50 })),
        fc.integer({ min: 1, max: 50 }),
        (roles, managed, led, team) => {
          const scope = caseScopeFor(user(roles, managed, led));
          const entitled =
            roles.includes('admin') ||
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

describe('scopeFor aggregates', () => {
  it('gives directors and admins the whole service, and managers their own part of it', () => {
    expect(scopeFor(user(['director']), 'aggregates')).toEqual({ kind: 'all' });
    expect(scopeFor(user(['admin']), 'aggregates')).toEqual({ kind: 'all' });
    expect(scopeFor(user(['head_of_service'], [], [7, 8]), 'aggregates')).toEqual({
      kind: 'teams',
      teamIds: [7, 8],
    });
    expect(scopeFor(user(['auditor', 'moderator'], [1], [2]), 'aggregates')).toEqual({
      kind: 'teams',
      teamIds: [],
    });
  });
});
