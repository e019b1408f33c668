import fc from 'fast-check';
import type { ReportFilter, TeamRow } from './repository';
import { teamIdsOf, unitsOf, type Unit } from './units';

const team = (id: number, area: number | null, locality: number | null): TeamRow => ({
  id,
  name: `Team ${id}`,
  serviceAreaId: area,
  serviceAreaName: area === null ? null : `Area ${area}`,
  localityId: locality,
  localityName: locality === null ? null : `Locality ${locality}`,
});
// Two localities (20, 21) across two service areas (10, 11), and a team in neither.
const TEAMS = [
  team(1, 10, 20),
  team(2, 10, 20),
  team(3, 11, 21),
  team(4, 11, 21),
  team(5, 11, 20),
  team(6, null, null),
];
const period = { from: '2026-10-01', to: '2026-10-31' };
const all = { kind: 'all' as const };
const teams = (...teamIds: number[]) => ({ kind: 'teams' as const, teamIds });

/** The teams a list of units stands for, each as often as it is counted. */
function teamsCounted(units: readonly Unit[], rows: readonly TeamRow[]): number[] {
  return units
    .flatMap((u) =>
      rows
        .filter((t) =>
          u.unit === 'service'
            ? true
            : u.unit === 'locality'
              ? t.localityId === u.id
              : u.unit === 'service-area'
                ? t.serviceAreaId === u.id
                : t.id === u.id,
        )
        .map((t) => t.id),
    )
    .sort((a, b) => a - b);
}

describe('the units a report reads its tallies from', () => {
  it.each<[Partial<ReportFilter>, Unit[]]>([
    [{ scope: all }, [{ unit: 'service', id: 0 }]],
    [{ scope: all, localityId: 20 }, [{ unit: 'locality', id: 20 }]],
    [{ scope: all, serviceAreaId: 11 }, [{ unit: 'service-area', id: 11 }]],
    [{ scope: all, serviceAreaId: 10 }, [{ unit: 'service-area', id: 10 }]],
    [{ scope: all, teamId: 3 }, [{ unit: 'team', id: 3 }]],
    [{ scope: teams(3, 4) }, [{ unit: 'locality', id: 21 }]],
    [
      { scope: teams(1, 2, 6) },
      [
        { unit: 'service-area', id: 10 },
        { unit: 'team', id: 6 },
      ],
    ],
    [
      { scope: teams(1, 5), localityId: 20 },
      [
        { unit: 'team', id: 1 },
        { unit: 'team', id: 5 },
      ],
    ],
    [{ scope: teams() }, []],
  ])('%j', (filter, expected) => {
    expect(unitsOf({ ...period, ...filter } as ReportFilter, TEAMS)).toEqual(expected);
  });

  it('make up exactly the filter’s teams, each counted once, for any scope and narrowing', () => {
    const rows = fc.array(
      fc.record({
        area: fc.option(fc.integer({ min: 1, max: 3 })),
        locality: fc.option(fc.integer({ min: 1, max: 3 })),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(
        rows,
        fc.option(fc.array(fc.integer({ min: 0, max: 12 }))),
        fc.option(fc.integer({ min: 1, max: 3 })),
        fc.option(fc.integer({ min: 1, max: 3 })),
        (specs, scoped, area, locality) => {
          const all = specs.map((s, i) => team(i, s.area, s.locality));
          const filter: ReportFilter = {
            ...period,
            scope: scoped === null ? { kind: 'all' } : { kind: 'teams', teamIds: scoped },
            ...(area === null ? {} : { serviceAreaId: area }),
            ...(locality === null ? {} : { localityId: locality }),
          };
          expect(teamsCounted(unitsOf(filter, all), all)).toEqual(teamIdsOf(filter, all));
        },
      ),
    );
  });
});
