import { scopeLabel } from './service';
import type { TeamRow } from './repository';

const team = (id: number, name: string, area: [number, string], locality: [number, string]): TeamRow => ({
  id,
  name,
  serviceAreaId: area[0],
  serviceAreaName: area[1],
  localityId: locality[0],
  localityName: locality[1],
});
const TEAMS = [
  team(1, 'Assessment North', [10, 'Front Door'], [20, 'North']),
  team(2, 'Family Safeguarding South 1', [11, 'Safeguarding'], [21, 'South']),
  team(3, 'Family Safeguarding South 2', [11, 'Safeguarding'], [21, 'South']),
];
const period = { from: '2026-10-01', to: '2026-10-31' };

describe('what a report says it covers', () => {
  it.each([
    [{ scope: { kind: 'all' as const } }, 'the whole service'],
    [{ scope: { kind: 'teams' as const, teamIds: [2] } }, 'Family Safeguarding South 1'],
    [
      { scope: { kind: 'teams' as const, teamIds: [2, 3] } },
      'Family Safeguarding South 1 and Family Safeguarding South 2',
    ],
    [{ scope: { kind: 'all' as const }, teamId: 1 }, 'Assessment North'],
    [{ scope: { kind: 'all' as const }, serviceAreaId: 11 }, 'the Safeguarding service area'],
    [{ scope: { kind: 'all' as const }, localityId: 20 }, 'North locality'],
    [
      { scope: { kind: 'all' as const }, caseType: 'child-in-need' },
      'the whole service, child in need cases only',
    ],
  ])('%j: %s', (filter, expected) => {
    expect(scopeLabel({ ...period, ...filter }, TEAMS)).toBe(expected);
  });
});
