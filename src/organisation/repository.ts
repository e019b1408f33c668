import type { TeamScope } from '../auth/scope';
import { translating } from '../db/errors';
import { applyTeamScope } from '../db/scope';
import type { Executor } from '../db/transaction';
import type { Locality, Person, ServiceArea, Team, TeamKind } from './types';

interface TeamRow {
  id: number;
  code: string;
  name: string;
  kind: TeamKind;
  locality_name: string | null;
  service_area_id: number | null;
  service_area_name: string | null;
  active: boolean;
  people_count: number;
  manager_names: string[];
}

function toTeam(row: TeamRow): Team {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    localityName: row.locality_name,
    serviceAreaId: row.service_area_id,
    serviceAreaName: row.service_area_name,
    active: row.active,
    peopleCount: row.people_count,
    managerNames: row.manager_names,
  };
}

function selectTeams(ex: Executor, scope: TeamScope) {
  const query = ex('team as t')
    .leftJoin('locality as l', 'l.id', 't.locality_id')
    .leftJoin('service_area as s', 's.id', 't.service_area_id')
    .select<TeamRow[]>(
      't.id',
      't.code',
      't.name',
      't.kind',
      't.active',
      'l.name as locality_name',
      't.service_area_id',
      's.name as service_area_name',
      ex.raw('(select count(*) from person p where p.team_id = t.id and p.active)::int as people_count'),
      ex.raw(`array(select u.display_name from user_team ut join app_user u on u.id = ut.user_id
                    where ut.team_id = t.id order by u.display_name) as manager_names`),
    );
  return applyTeamScope(query, scope, 't.id');
}

export interface TeamInput {
  code: string;
  name: string;
  kind: TeamKind;
  localityId: number | null;
  serviceAreaId: number | null;
}

export interface PersonInput {
  externalRef: string;
  displayName: string;
  jobTitle: string;
  teamId: number | null;
  lineManagerId: number | null;
  email: string | null;
}

async function upsertByCode(
  ex: Executor,
  table: 'locality' | 'service_area',
  items: readonly { code: string; name: string }[],
): Promise<Map<string, number>> {
  const rows = await ex(table)
    .insert(items.map(({ code, name }) => ({ code, name })))
    .onConflict('code')
    .merge(['name'])
    .returning<{ id: number; code: string }[]>(['id', 'code']);
  return new Map(rows.map((row) => [row.code, row.id]));
}

export const organisationRepository = {
  upsertLocalities: (ex: Executor, items: readonly { code: string; name: string }[]) =>
    upsertByCode(ex, 'locality', items),
  upsertServiceAreas: (ex: Executor, items: readonly { code: string; name: string }[]) =>
    upsertByCode(ex, 'service_area', items),

  async upsertTeams(ex: Executor, teams: readonly TeamInput[]): Promise<Map<string, number>> {
    const rows = await translating(
      ex('team')
        .insert(
          teams.map((team) => ({
            code: team.code,
            name: team.name,
            kind: team.kind,
            locality_id: team.localityId,
            service_area_id: team.serviceAreaId,
          })),
        )
        .onConflict('code')
        .merge(['name', 'kind', 'locality_id', 'service_area_id'])
        .returning<{ id: number; code: string }[]>(['id', 'code']),
    );
    return new Map(rows.map((row) => [row.code, row.id]));
  },

  /** Inserts or updates staff by their case-management id; returns ids by that id. */
  async upsertPeople(ex: Executor, people: readonly PersonInput[]): Promise<Map<string, number>> {
    if (people.length === 0) return new Map();
    const rows = await translating(
      ex('person')
        .insert(
          people.map((person) => ({
            external_ref: person.externalRef,
            display_name: person.displayName,
            job_title: person.jobTitle,
            team_id: person.teamId,
            line_manager_id: person.lineManagerId,
            email: person.email,
          })),
        )
        .onConflict('external_ref')
        .merge(['display_name', 'job_title', 'team_id', 'line_manager_id', 'email'])
        .returning<{ id: number; external_ref: string }[]>(['id', 'external_ref']),
    );
    return new Map(rows.map((row) => [row.external_ref, row.id]));
  },

  async listLocalities(ex: Executor): Promise<Locality[]> {
    return ex('locality').select<Locality[]>('id', 'code', 'name').orderBy('name');
  },

  async listServiceAreas(ex: Executor): Promise<ServiceArea[]> {
    return ex('service_area').select<ServiceArea[]>('id', 'code', 'name').orderBy('name');
  },

  async listTeams(ex: Executor, scope: TeamScope): Promise<Team[]> {
    const rows = await selectTeams(ex, scope).orderBy(['l.name', 't.name']);
    return rows.map(toTeam);
  },

  async findTeam(ex: Executor, scope: TeamScope, id: number): Promise<Team | undefined> {
    const row = await selectTeams(ex, scope).where('t.id', id).first();
    return row && toTeam(row);
  },

  async idsByCode(
    ex: Executor,
    table: 'team' | 'service_area',
    codes: readonly string[],
  ): Promise<Map<string, number>> {
    if (codes.length === 0) return new Map();
    const rows = await ex(table).whereIn('code', codes).select<{ id: number; code: string }[]>('id', 'code');
    return new Map(rows.map((row) => [row.code, row.id]));
  },

  async findPersonIdByEmail(ex: Executor, email: string): Promise<number | undefined> {
    const row = await ex('person')
      .whereRaw('lower(email) = lower(?)', [email])
      .first<{ id: number } | undefined>('id');
    return row?.id;
  },

  async listPeople(ex: Executor, teamId: number): Promise<Person[]> {
    const rows = await ex('person as p')
      .leftJoin('person as m', 'm.id', 'p.line_manager_id')
      .where('p.team_id', teamId)
      .select<
        {
          id: number;
          display_name: string;
          job_title: string | null;
          team_id: number | null;
          manager_name: string | null;
          active: boolean;
        }[]
      >('p.id', 'p.display_name', 'p.job_title', 'p.team_id', 'm.display_name as manager_name', 'p.active')
      .orderBy('p.display_name');
    return rows.map((row) => ({
      id: row.id,
      displayName: row.display_name,
      jobTitle: row.job_title,
      teamId: row.team_id,
      lineManagerName: row.manager_name,
      active: row.active,
    }));
  },

  async counts(
    ex: Executor,
  ): Promise<{ localities: number; serviceAreas: number; teams: number; people: number; users: number }> {
    const row = await ex
      .select(
        ex.raw('(select count(*) from locality)::int as localities'),
        ex.raw('(select count(*) from service_area)::int as service_areas'),
        ex.raw('(select count(*) from team)::int as teams'),
        ex.raw('(select count(*) from person)::int as people'),
        ex.raw('(select count(*) from app_user)::int as users'),
      )
      .first<{ localities: number; service_areas: number; teams: number; people: number; users: number }>();
    return {
      localities: row.localities,
      serviceAreas: row.service_areas,
      teams: row.teams,
      people: row.people,
      users: row.users,
    };
  },
};
