import { knexOf } from '../db/query';
import type { TeamScope } from '../auth/scope';
import { translating, type ConstraintMessages } from '../db/errors';
import { applyTeamScope } from '../db/scope';
import type { Executor } from '../db/transaction';
import type { Locality, Person, ServiceArea, StaffMember, Team, TeamKind } from './types';

interface TeamRow {
  id: number;
  code: string;
  name: string;
  kind: TeamKind;
  locality_id: number | null;
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
    localityId: row.locality_id,
    localityName: row.locality_name,
    serviceAreaId: row.service_area_id,
    serviceAreaName: row.service_area_name,
    active: row.active,
    peopleCount: row.people_count,
    managerNames: row.manager_names,
  };
}

function selectTeams(ex: Executor, scope: TeamScope) {
  const query = knexOf(ex)('team as t')
    .leftJoin('locality as l', 'l.id', 't.locality_id')
    .leftJoin('service_area as s', 's.id', 't.service_area_id')
    .select<TeamRow[]>(
      't.id',
      't.code',
      't.name',
      't.kind',
      't.active',
      't.locality_id',
      'l.name as locality_name',
      't.service_area_id',
      's.name as service_area_name',
      knexOf(ex).raw(
        '(select count(*) from person p where p.team_id = t.id and p.active)::int as people_count',
      ),
      knexOf(ex).raw(`array(select u.display_name from user_team ut join app_user u on u.id = ut.user_id
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
  const rows = await knexOf(ex)(table)
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

  /** Adds the teams that do not exist yet (by code); returns the ids of all of them by code. */
  async upsertTeams(ex: Executor, teams: readonly TeamInput[]): Promise<Map<string, number>> {
    // A team that exists is left as it is: administrators may have renamed, moved or closed it.
    return insertMissing(
      ex,
      'team',
      'code',
      teams.map((team) => columnsFor(team, TEAM_COLUMNS)),
    );
  },

  /** Adds the staff who do not exist yet (by case-management id); returns the ids of all of them by that id. */
  async upsertPeople(ex: Executor, people: readonly PersonInput[]): Promise<Map<string, number>> {
    // Staff who exist are left as they are: administrators may have moved them or changed their manager.
    return insertMissing(
      ex,
      'person',
      'external_ref',
      people.map((person) => columnsFor(person, PERSON_COLUMNS)),
    );
  },

  async listLocalities(ex: Executor): Promise<Locality[]> {
    return knexOf(ex)('locality').select<Locality[]>('id', 'code', 'name').orderBy('name');
  },

  async listServiceAreas(ex: Executor): Promise<ServiceArea[]> {
    return knexOf(ex)('service_area').select<ServiceArea[]>('id', 'code', 'name').orderBy('name');
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
    const rows = await knexOf(ex)(table)
      .whereIn('code', codes)
      .select<{ id: number; code: string }[]>('id', 'code');
    return new Map(rows.map((row) => [row.code, row.id]));
  },

  async findPersonIdByEmail(ex: Executor, email: string): Promise<number | undefined> {
    const row = await knexOf(ex)('person')
      .whereRaw('lower(email) = lower(?)', [email])
      .first<{ id: number } | undefined>('id');
    return row?.id;
  },

  async listPeople(ex: Executor, teamId: number): Promise<Person[]> {
    const rows = await knexOf(ex)('person as p')
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
    const row = await knexOf(ex)
      .select(
        knexOf(ex).raw('(select count(*) from locality)::int as localities'),
        knexOf(ex).raw('(select count(*) from service_area)::int as service_areas'),
        knexOf(ex).raw('(select count(*) from team)::int as teams'),
        knexOf(ex).raw('(select count(*) from person)::int as people'),
        knexOf(ex).raw('(select count(*) from app_user)::int as users'),
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

  // Administration of teams and staff.

  async insertTeam(ex: Executor, team: TeamInput): Promise<number> {
    return insertRow(ex, 'team', columnsFor(team, TEAM_COLUMNS), TEAM_CONSTRAINTS);
  },

  async teamCodes(ex: Executor): Promise<Set<string>> {
    return new Set(await knexOf(ex)('team').pluck<string[]>('code'));
  },

  async updateTeam(ex: Executor, id: number, changes: Partial<TeamChanges>): Promise<void> {
    await updateRow(ex, 'team', id, columnsFor(changes, TEAM_COLUMNS), TEAM_CONSTRAINTS);
  },

  /** Staff, with their team and line manager; all of them, or one team's. */
  async listStaff(ex: Executor, filter: { teamId?: number; id?: number } = {}): Promise<StaffMember[]> {
    const query = knexOf(ex)('person as p')
      .leftJoin('person as m', 'm.id', 'p.line_manager_id')
      .leftJoin('team as t', 't.id', 'p.team_id')
      .select<StaffRow[]>(
        'p.id',
        'p.display_name',
        'p.job_title',
        'p.team_id',
        't.name as team_name',
        't.active as team_active',
        'p.line_manager_id',
        'm.display_name as manager_name',
        'p.email',
        'p.external_ref',
        'p.active',
      )
      .orderBy(['p.display_name', 'p.id']);
    if (filter.teamId !== undefined) query.where('p.team_id', filter.teamId);
    if (filter.id !== undefined) query.where('p.id', filter.id);
    return (await query).map(toStaffMember);
  },

  async findStaffMember(ex: Executor, id: number): Promise<StaffMember | undefined> {
    return (await organisationRepository.listStaff(ex, { id }))[0];
  },

  async insertPerson(ex: Executor, person: PersonChanges & { externalRef: string | null }) {
    return insertRow(ex, 'person', columnsFor(person, PERSON_COLUMNS), PERSON_CONSTRAINTS);
  },

  async updatePerson(ex: Executor, id: number, changes: Partial<PersonChanges>): Promise<void> {
    await updateRow(ex, 'person', id, columnsFor(changes, PERSON_COLUMNS), PERSON_CONSTRAINTS);
  },

  /** The people above this person in line management: their manager, their manager's manager, and so on. */
  async managersAbove(ex: Executor, personId: number): Promise<number[]> {
    const result = await knexOf(ex).raw<{ rows: { id: number }[] }>(
      `with recursive chain(id, depth) as (
         select line_manager_id, 1 from person where id = ? and line_manager_id is not null
         union
         select p.line_manager_id, c.depth + 1 from person p join chain c on p.id = c.id
         where p.line_manager_id is not null and c.depth < 1000)
       select distinct id from chain`,
      [personId],
    );
    return result.rows.map((row) => row.id);
  },
};

export interface TeamChanges {
  name: string;
  kind: TeamKind;
  localityId: number | null;
  serviceAreaId: number | null;
  active: boolean;
}

export interface PersonChanges {
  displayName: string;
  jobTitle: string | null;
  teamId: number | null;
  lineManagerId: number | null;
  email: string | null;
}

const TEAM_COLUMNS: Record<keyof (TeamChanges & TeamInput), string> = {
  code: 'code',
  name: 'name',
  kind: 'kind',
  localityId: 'locality_id',
  serviceAreaId: 'service_area_id',
  active: 'active',
};

const PERSON_COLUMNS: Record<keyof PersonChanges | 'externalRef', string> = {
  displayName: 'display_name',
  jobTitle: 'job_title',
  teamId: 'team_id',
  lineManagerId: 'line_manager_id',
  email: 'email',
  externalRef: 'external_ref',
};

/** The row's columns for the fields given (those not undefined), under their column names. */
function columnsFor<T extends object>(fields: T, columns: Record<keyof T, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [columns[key as keyof T], value]),
  );
}

/** Inserts the rows whose key is new, leaves the others as they are; returns every row's id by its key. */
async function insertMissing(
  ex: Executor,
  table: string,
  key: string,
  rows: readonly Record<string, unknown>[],
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  await translating(knexOf(ex)(table).insert(rows).onConflict(key).ignore());
  const found = await knexOf(ex)(table)
    .whereIn(
      key,
      rows.map((row) => row[key] as string),
    )
    .select<Record<string, string | number>[]>('id', key);
  return new Map(found.map((row) => [String(row[key]), Number(row.id)]));
}

async function insertRow(
  ex: Executor,
  table: string,
  columns: Record<string, unknown>,
  constraints: ConstraintMessages,
): Promise<number> {
  const [row] = await translating(
    knexOf(ex)(table).insert(columns).returning<{ id: number }[]>('id'),
    constraints,
  );
  if (!row) throw new Error('insert returned no id');
  return row.id;
}

async function updateRow(
  ex: Executor,
  table: string,
  id: number,
  columns: Record<string, unknown>,
  constraints: ConstraintMessages,
): Promise<void> {
  if (Object.keys(columns).length === 0) return;
  await translating(knexOf(ex)(table).where({ id }).update(columns), constraints);
}

const TEAM_CONSTRAINTS: ConstraintMessages = {
  team_name_lower_unique: { field: 'name', message: 'A team with this name already exists.' },
  team_code_unique: { field: 'code', message: 'A team with this code already exists.' },
};

const PERSON_CONSTRAINTS: ConstraintMessages = {
  person_email_lower_unique: {
    field: 'email',
    message: 'A member of staff with this email already exists.',
  },
  person_external_ref_unique: {
    field: 'externalRef',
    message: 'A member of staff with this case-management id already exists.',
  },
};

interface StaffRow {
  id: number;
  display_name: string;
  job_title: string | null;
  team_id: number | null;
  team_name: string | null;
  team_active: boolean | null;
  line_manager_id: number | null;
  manager_name: string | null;
  email: string | null;
  external_ref: string | null;
  active: boolean;
}

function toStaffMember(row: StaffRow): StaffMember {
  return {
    id: row.id,
    displayName: row.display_name,
    jobTitle: row.job_title,
    teamId: row.team_id,
    teamName: row.team_name,
    teamActive: row.team_active,
    lineManagerId: row.line_manager_id,
    lineManagerName: row.manager_name,
    email: row.email,
    externalRef: row.external_ref,
    active: row.active,
  };
}
