import fc from 'fast-check';
import { conflictOf } from '../conflicts/rule';
import { allocate, type AuditorAvailability, type CaseToAllocate } from './allocate';

const auditor = (userId: number, overrides: Partial<AuditorAvailability> = {}): AuditorAvailability => ({
  userId,
  personId: 100 + userId,
  homeTeamId: null,
  managedTeamIds: [],
  ledAreaTeamIds: [],
  roles: ['auditor'],
  restrictedCaseRefs: [],
  capacity: 5,
  ...overrides,
});

const caseIn = (caseId: number, teamId: number, overrides: Partial<CaseToAllocate> = {}): CaseToAllocate => ({
  caseId,
  caseRef: `C${caseId}`,
  restricted: false,
  teamId,
  workerPersonId: null,
  managerPersonId: null,
  ...overrides,
});

describe('conflicts of interest', () => {
  it('keep auditors from their own team, teams they manage or lead, their own cases and their staff’s cases', () => {
    expect(conflictOf(auditor(1, { homeTeamId: 7 }), caseIn(1, 7))).toBe('own-team');
    expect(conflictOf(auditor(1, { managedTeamIds: [7] }), caseIn(1, 7))).toBe('manages-team');
    expect(conflictOf(auditor(1, { ledAreaTeamIds: [6, 7] }), caseIn(1, 7))).toBe('leads-area');
    expect(conflictOf(auditor(1, { ledAreaTeamIds: [6, 8] }), caseIn(1, 7))).toBeUndefined();
    expect(conflictOf(auditor(1), caseIn(1, 7, { workerPersonId: 101 }))).toBe('allocated-worker');
    expect(conflictOf(auditor(1), caseIn(1, 7, { managerPersonId: 101 }))).toBe('worker-manager');
    expect(
      conflictOf(auditor(1, { homeTeamId: 8 }), caseIn(1, 7, { workerPersonId: 5, managerPersonId: 6 })),
    ).toBeUndefined();
  });

  it('keep everyone but admins from a restricted case unless they were granted it', () => {
    const restricted = caseIn(1, 7, { restricted: true });
    expect(conflictOf(auditor(1), restricted)).toBe('restricted');
    expect(conflictOf(auditor(1, { restrictedCaseRefs: ['C2'] }), restricted)).toBe('restricted');
    expect(conflictOf(auditor(1, { restrictedCaseRefs: ['C1'] }), restricted)).toBeUndefined();
    expect(conflictOf(auditor(1, { roles: ['auditor', 'admin'] }), restricted)).toBeUndefined();
    // A grant lifts the restriction only: the other rules still hold.
    expect(conflictOf(auditor(1, { restrictedCaseRefs: ['C1'], homeTeamId: 7 }), restricted)).toBe(
      'own-team',
    );
  });
});

describe('allocate', () => {
  it('spreads the work evenly for equal capacities', () => {
    const cases = Array.from({ length: 9 }, (_, i) => caseIn(i + 1, 1));
    const { allocations } = allocate(cases, [auditor(1), auditor(2), auditor(3)], 1);
    const loads = [1, 2, 3].map((id) => allocations.filter((a) => a.auditorUserId === id).length);
    expect(loads).toEqual([3, 3, 3]);
  });

  it('shares in proportion to capacity', () => {
    const cases = Array.from({ length: 6 }, (_, i) => caseIn(i + 1, 1));
    const { allocations } = allocate(cases, [auditor(1, { capacity: 4 }), auditor(2, { capacity: 2 })], 1);
    expect(allocations.filter((a) => a.auditorUserId === 1)).toHaveLength(4);
  });

  it('serves the hardest cases first, so an auditor who alone may take one is kept for it', () => {
    const cases = [caseIn(1, 1), caseIn(2, 2)];
    // Auditor 1 can take either; auditor 2 works in team 2, so case 2 can only go to auditor 1.
    const { allocations, unallocated } = allocate(
      cases,
      [auditor(1, { capacity: 1 }), auditor(2, { homeTeamId: 2, capacity: 1 })],
      3,
    );
    expect(unallocated).toEqual([]);
    expect(allocations).toContainEqual({ caseId: 2, auditorUserId: 1 });
  });

  it('says why a case cannot be allocated', () => {
    const { allocations, unallocated } = allocate(
      [caseIn(1, 1), caseIn(2, 2), caseIn(3, 2)],
      [auditor(1, { homeTeamId: 1, capacity: 1 })],
      1,
    );
    const other = allocations[0]?.caseId === 2 ? 3 : 2;
    expect(unallocated).toEqual([
      { caseId: 1, reason: 'no auditor is free of a conflict of interest with this case' },
      { caseId: other, reason: 'every auditor who could take it has reached their capacity' },
    ]);
  });

  it('never breaks a conflict rule or a capacity, and leaves a case out only when nobody possible has room', () => {
    const arbitraryCase = fc.record({
      restricted: fc.boolean(),
      teamId: fc.integer({ min: 1, max: 6 }),
      workerPersonId: fc.option(fc.integer({ min: 100, max: 110 }), { nil: null }),
      managerPersonId: fc.option(fc.integer({ min: 100, max: 110 }), { nil: null }),
    });
    const arbitraryAuditor = fc.record({
      personId: fc.option(fc.integer({ min: 100, max: 110 }), { nil: null }),
      homeTeamId: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
      managedTeamIds: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }),
      ledAreaTeamIds: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
      restrictedCaseRefs: fc.uniqueArray(
        fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `C${i + 1}`)),
        {
          maxLength: 10,
        },
      ),
      capacity: fc.integer({ min: 0, max: 6 }),
    });
    fc.assert(
      fc.property(
        fc.array(arbitraryCase, { maxLength: 40 }),
        fc.array(arbitraryAuditor, { maxLength: 8 }),
        fc.integer(),
        (rawCases, rawAuditors, seed) => {
          const cases = rawCases.map((c, i) => ({ ...c, caseId: i + 1, caseRef: `C${i + 1}` }));
          const auditors = rawAuditors.map((a, i) => ({ ...a, userId: i + 1, roles: ['auditor' as const] }));
          const { allocations, unallocated } = allocate(cases, auditors, seed);
          const byId = new Map(auditors.map((a) => [a.userId, a]));
          expect(allocations.length + unallocated.length).toBe(cases.length);
          expect(new Set([...allocations, ...unallocated].map((a) => a.caseId)).size).toBe(cases.length);
          const load = new Map<number, number>();
          for (const a of allocations) {
            const who = byId.get(a.auditorUserId) as AuditorAvailability;
            const c = cases[a.caseId - 1] as CaseToAllocate;
            expect(conflictOf(who, c)).toBeUndefined();
            // The rule, written out: nobody judges a team they belong to, manage or lead, nor their own
            // case or their staff's, nor a restricted case they were not granted.
            expect(
              (c.restricted && !who.restrictedCaseRefs.includes(c.caseRef)) ||
                who.homeTeamId === c.teamId ||
                who.managedTeamIds.includes(c.teamId) ||
                who.ledAreaTeamIds.includes(c.teamId) ||
                (who.personId !== null && [c.workerPersonId, c.managerPersonId].includes(who.personId)),
            ).toBe(false);
            load.set(a.auditorUserId, (load.get(a.auditorUserId) ?? 0) + 1);
          }
          for (const [id, n] of load)
            expect(n).toBeLessThanOrEqual((byId.get(id) as AuditorAvailability).capacity);
          for (const u of unallocated) {
            const c = cases[u.caseId - 1] as CaseToAllocate;
            for (const a of auditors) if (!conflictOf(a, c)) expect(load.get(a.userId) ?? 0).toBe(a.capacity);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
