import type { CaseStaffing } from '../conflicts/rule';
import { chooseReauditor } from './reauditor';

/** The case: team 10, allocated worker person 100, whose line manager is person 101. */
const CASE: CaseStaffing = {
  caseId: 1,
  caseRef: 'C1',
  restricted: false,
  teamId: 10,
  workerPersonId: 100,
  managerPersonId: 101,
};

const auditor = (id: number, standing: Partial<{ personId: number; homeTeamId: number }> = {}) => ({
  id,
  personId: standing.personId ?? null,
  homeTeamId: standing.homeTeamId ?? null,
  managedTeamIds: [] as number[],
  serviceAreaTeamIds: [] as number[],
  roles: ['auditor' as const],
  restrictedCaseRefs: [] as string[],
});

const A = auditor(1);
const B = auditor(2);
const C = auditor(3);
const inTeam = (id: number) => auditor(id, { homeTeamId: 10 });
const worker = (id: number) => auditor(id, { personId: 100 });
const workersManager = (id: number) => auditor(id, { personId: 101 });
const managing = (id: number) => ({ ...auditor(id), managedTeamIds: [10] });
const leading = (id: number) => ({ ...auditor(id), serviceAreaTeamIds: [10] });

describe('who re-audits a case', () => {
  it.each<[string, number | null, ReturnType<typeof auditor>[], [number, number][], number | null]>([
    ['the original auditor, still active and free', 2, [A, B, C], [[2, 9]], 2],
    ['another, when the original is no longer an active auditor', 7, [A, B, C], [], 1],
    [
      'the one with the fewest audits to do',
      7,
      [A, B, C],
      [
        [1, 3],
        [2, 1],
        [3, 2],
      ],
      2,
    ],
    ['the lowest id on a tie', null, [C, B], [], 2],
    ['never the original once the case is in their own team', 1, [inTeam(1), B], [], 2],
    ['never the allocated worker', 1, [worker(1), B], [], 2],
    ['never the worker’s line manager', 1, [workersManager(1), B], [], 2],
    ['never a manager of the case’s team', 1, [managing(1), B], [], 2],
    ['never a head of service of its area', 1, [leading(1), B], [], 2],
    ['nobody when every auditor is conflicted', 1, [inTeam(1), worker(2), managing(3)], [], null],
    ['nobody when there is no active auditor', 1, [], [], null],
  ])('%s', (_case, original, auditors, loads, chosen) => {
    expect(chooseReauditor(original, auditors, CASE, new Map(loads))).toBe(chosen);
  });
});
