import { scopeIncludes } from '../auth/scope';
import type { ReportFilter, TeamRow } from './repository';

/**
 * The parts of the service the report tallies are counted for: each team, each locality, each service
 * area, and the whole service (id 0). A report reads the fewest units that make up exactly its teams.
 */
export type UnitKind = 'team' | 'locality' | 'service-area' | 'service';

export interface Unit {
  unit: UnitKind;
  id: number;
}

/** The teams a filter covers: its scope narrowed to its team, service area and locality. */
export function teamIdsOf(filter: ReportFilter, teams: readonly TeamRow[]): number[] {
  return teams
    .filter(
      (t) =>
        scopeIncludes(filter.scope, t.id) &&
        (filter.teamId === undefined || t.id === filter.teamId) &&
        (filter.serviceAreaId === undefined || t.serviceAreaId === filter.serviceAreaId) &&
        (filter.localityId === undefined || t.localityId === filter.localityId),
    )
    .map((t) => t.id)
    .sort((a, b) => a - b);
}

/** Whether a filter covers the whole service. */
const isWhole = (filter: ReportFilter) =>
  filter.scope.kind === 'all' &&
  filter.teamId === undefined &&
  filter.serviceAreaId === undefined &&
  filter.localityId === undefined;

/**
 * The units that make up exactly the filter's teams, none counted twice: the whole service, else the
 * localities and service areas all of whose teams are in (the largest first, leaving out any that would
 * count a team again), then the teams left one by one.
 */
export function unitsOf(filter: ReportFilter, teams: readonly TeamRow[]): Unit[] {
  if (isWhole(filter)) return [{ unit: 'service', id: 0 }];
  const wanted = new Set(teamIdsOf(filter, teams));
  const counted = new Set<number>();
  const units: Unit[] = [];
  const candidates: (Unit & { members: number[] })[] = [];
  for (const [key, unit] of [
    ['localityId', 'locality'],
    ['serviceAreaId', 'service-area'],
  ] as const) {
    const members = new Map<number, number[]>();
    for (const t of teams) {
      const id = t[key];
      if (id !== null) members.set(id, [...(members.get(id) ?? []), t.id]);
    }
    for (const [id, ids] of members)
      if (ids.every((m) => wanted.has(m))) candidates.push({ unit, id, members: ids });
  }
  // The largest first: an area of three teams rather than a locality of two and a team.
  candidates.sort((a, b) => b.members.length - a.members.length);
  for (const { unit, id, members } of candidates)
    if (!members.some((m) => counted.has(m))) {
      units.push({ unit, id });
      for (const m of members) counted.add(m);
    }
  for (const id of wanted) if (!counted.has(id)) units.push({ unit: 'team', id });
  return units;
}
