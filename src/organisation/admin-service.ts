import type { Actor } from '../activity-log/actor';
import type { AuditAction } from '../activity-log/actions';
import type { ActivityLog } from '../activity-log/service';
import type { Database, Executor } from '../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { MAX_ID } from '../http/params';
import { compile, validate, type FromSchema } from '../validation';
import { organisationRepository, type PersonChanges, type TeamChanges } from './repository';
import { codeFor } from './team-code';
import { TEAM_KINDS, type StaffMember, type Team } from './types';

const id = { type: 'integer', minimum: 1, maximum: MAX_ID } as const;
const nullableId = { ...id, nullable: true } as const;
const name = { type: 'string', minLength: 1, maxLength: 120 } as const;
const text = { type: 'string', maxLength: 200, nullable: true } as const;
const email = { type: 'string', format: 'email', maxLength: 254, nullable: true } as const;
const kind = { type: 'string', enum: TEAM_KINDS, nullable: true } as const;

const newTeamSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'localityId', 'serviceAreaId'],
  properties: {
    name,
    kind,
    localityId: nullableId,
    serviceAreaId: nullableId,
    /** Short stable code (lower case, digits and hyphens); made from the name when left out. */
    code: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60, nullable: true },
  },
} as const;
export type NewTeamInput = FromSchema<typeof newTeamSchema>;
const validateNewTeam = compile(newTeamSchema);

const teamChangeSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { ...name, nullable: true },
    kind,
    localityId: nullableId,
    serviceAreaId: nullableId,
  },
} as const;
export type TeamChangeInput = FromSchema<typeof teamChangeSchema>;
const validateTeamChange = compile(teamChangeSchema);

const newPersonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['displayName', 'teamId'],
  properties: {
    displayName: name,
    jobTitle: text,
    teamId: id,
    lineManagerId: nullableId,
    email,
    /** Their id in the case-management system. */
    externalRef: { type: 'string', minLength: 1, maxLength: 100, nullable: true },
  },
} as const;
export type NewPersonInput = FromSchema<typeof newPersonSchema>;
const validateNewPerson = compile(newPersonSchema);

const personChangeSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    displayName: { ...name, nullable: true },
    jobTitle: text,
    teamId: { ...id, nullable: true },
    lineManagerId: nullableId,
    email,
  },
} as const;
export type PersonChangeInput = FromSchema<typeof personChangeSchema>;
const validatePersonChange = compile(personChangeSchema);

const refused = (field: string, message: string) => new ValidationError(`${message}.`, [{ field, message }]);

/** A name as given, trimmed; refused when it is only spaces. */
function nameOf(value: string, field: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw refused(field, 'must not be blank');
  return trimmed;
}

/** The named place a team is in, for the audit log: ids with the names they had at the time. */
async function placeNames(ex: Executor, localityId: number | null, serviceAreaId: number | null) {
  const [localities, areas] = await Promise.all([
    organisationRepository.listLocalities(ex),
    organisationRepository.listServiceAreas(ex),
  ]);
  const locality = localityId === null ? null : localities.find((l) => l.id === localityId);
  const area = serviceAreaId === null ? null : areas.find((a) => a.id === serviceAreaId);
  if (locality === undefined) throw refused('localityId', `There is no locality with id ${localityId}`);
  if (area === undefined) throw refused('serviceAreaId', `There is no service area with id ${serviceAreaId}`);
  return { locality: locality?.name ?? null, serviceArea: area?.name ?? null };
}

async function findTeam(ex: Executor, teamId: number): Promise<Team> {
  const team = await organisationRepository.findTeam(ex, { kind: 'all' }, teamId);
  if (!team) throw new NotFoundError('There is no team at this address.');
  return team;
}

async function findPerson(ex: Executor, personId: number): Promise<StaffMember> {
  const person = await organisationRepository.findStaffMember(ex, personId);
  if (!person) throw new NotFoundError('There is no member of staff at this address.');
  return person;
}

/** A team new staff can join: it exists and is open. */
async function openTeam(ex: Executor, teamId: number): Promise<Team> {
  const team = await organisationRepository.findTeam(ex, { kind: 'all' }, teamId);
  if (!team) throw refused('teamId', `There is no team with id ${teamId}`);
  if (!team.active) throw refused('teamId', `${team.name} is closed: choose an open team`);
  return team;
}

/** A line manager for this person (undefined: someone new): active, not themselves, not someone they manage. */
async function checkLineManager(ex: Executor, personId: number | undefined, managerId: number) {
  const manager = await organisationRepository.findStaffMember(ex, managerId);
  if (!manager) throw refused('lineManagerId', `There is no member of staff with id ${managerId}`);
  if (!manager.active) throw refused('lineManagerId', `${manager.displayName} has left: choose someone else`);
  if (personId === undefined) return manager;
  if (managerId === personId) throw refused('lineManagerId', 'Nobody can be their own line manager');
  if ((await organisationRepository.managersAbove(ex, managerId)).includes(personId))
    throw refused(
      'lineManagerId',
      `${manager.displayName} reports to them, directly or through others: choose someone above them`,
    );
  return manager;
}

export type OrganisationAdminService = ReturnType<typeof createOrganisationAdminService>;

/**
 * Administration of teams and staff. Every change is recorded in the audit log in its own transaction,
 * with the names things had at the time. Teams and staff are referred to everywhere by id (cases, scopes,
 * conflicts of interest), so renaming or moving them keeps every link; case lists match teams by name, so
 * the next import must use the new name.
 */
export function createOrganisationAdminService(db: Database, activityLog: ActivityLog) {
  const ex = db.executor;

  /** Opens or closes a team, audited; a team already so is left as it is (a repeat answers the same). */
  async function setTeamOpen(
    teamId: number,
    open: boolean,
    actor: Actor,
    check?: (tx: Executor, team: Team) => Promise<void>,
  ): Promise<Team> {
    await db.transaction(async (tx) => {
      const team = await findTeam(tx, teamId);
      if (team.active === open) return;
      await check?.(tx, team);
      await organisationRepository.updateTeam(tx, teamId, { active: open });
      await activityLog.record(tx, actor, {
        action: open ? 'team.reopen' : 'team.close',
        recordType: 'team',
        recordId: teamId,
        summary: { name: team.name, before: { active: !open }, after: { active: open } },
      });
    });
    return findTeam(ex, teamId);
  }

  return {
    listTeams: () => organisationRepository.listTeams(ex, { kind: 'all' }),
    getTeam: (teamId: number) => findTeam(ex, teamId),
    listStaff: (teamId?: number) =>
      organisationRepository.listStaff(ex, teamId === undefined ? {} : { teamId }),
    getPerson: (personId: number) => findPerson(ex, personId),
    listLocalities: () => organisationRepository.listLocalities(ex),
    listServiceAreas: () => organisationRepository.listServiceAreas(ex),

    async addTeam(input: unknown, actor: Actor): Promise<Team> {
      const data = validate(validateNewTeam, input, 'team');
      const teamId = await db.transaction(async (tx) => {
        const places = await placeNames(tx, data.localityId, data.serviceAreaId);
        const name = nameOf(data.name, 'name');
        const code = data.code ?? codeFor(name, await organisationRepository.teamCodes(tx));
        const team = {
          code,
          name,
          kind: data.kind ?? 'other',
          localityId: data.localityId,
          serviceAreaId: data.serviceAreaId,
        };
        const newId = await organisationRepository.insertTeam(tx, team);
        await activityLog.record(tx, actor, {
          action: 'team.create',
          recordType: 'team',
          recordId: newId,
          summary: { after: { ...team, ...places } },
        });
        return newId;
      });
      return findTeam(ex, teamId);
    },

    /** Renames a team, changes its kind of work, or moves it to another locality or service area. */
    async updateTeam(teamId: number, input: unknown, actor: Actor): Promise<Team> {
      const data = validate(validateTeamChange, input, 'change');
      await db.transaction(async (tx) => {
        const before = await findTeam(tx, teamId);
        const changes: Partial<TeamChanges> = {};
        const name = data.name == null ? undefined : nameOf(data.name, 'name');
        if (name !== undefined && name !== before.name) changes.name = name;
        if (data.kind && data.kind !== before.kind) changes.kind = data.kind;
        if (data.localityId !== undefined && data.localityId !== before.localityId)
          changes.localityId = data.localityId;
        if (data.serviceAreaId !== undefined && data.serviceAreaId !== before.serviceAreaId)
          changes.serviceAreaId = data.serviceAreaId;
        if (Object.keys(changes).length === 0) return;
        const after = await placeNames(
          tx,
          changes.localityId !== undefined ? changes.localityId : before.localityId,
          changes.serviceAreaId !== undefined ? changes.serviceAreaId : before.serviceAreaId,
        );
        await organisationRepository.updateTeam(tx, teamId, changes);
        const record = (action: AuditAction, summary: Record<string, unknown>) =>
          activityLog.record(tx, actor, { action, recordType: 'team', recordId: teamId, summary });
        if (changes.name !== undefined)
          await record('team.rename', { before: { name: before.name }, after: { name: changes.name } });
        if (changes.kind !== undefined)
          await record('team.change_kind', { before: { kind: before.kind }, after: { kind: changes.kind } });
        if (changes.localityId !== undefined || changes.serviceAreaId !== undefined) {
          const moved = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
          if (changes.localityId !== undefined) {
            moved.before = { localityId: before.localityId, locality: before.localityName };
            moved.after = { localityId: changes.localityId, locality: after.locality };
          }
          if (changes.serviceAreaId !== undefined) {
            Object.assign(moved.before, {
              serviceAreaId: before.serviceAreaId,
              serviceArea: before.serviceAreaName,
            });
            Object.assign(moved.after, {
              serviceAreaId: changes.serviceAreaId,
              serviceArea: after.serviceArea,
            });
          }
          await record('team.move', { name: name ?? before.name, ...moved });
        }
      });
      return findTeam(ex, teamId);
    },

    /**
     * Closes a team: it keeps its cases, audits, managers and history, but is offered nowhere new. Its staff
     * must have moved first, so that nobody is left in a team that no longer exists.
     */
    closeTeam: (teamId: number, actor: Actor) =>
      setTeamOpen(teamId, false, actor, async (tx, team) => {
        const staff = (await organisationRepository.listStaff(tx, { teamId })).filter((p) => p.active);
        if (staff.length > 0)
          throw new ConflictError(`${team.name} still has staff: move them to other teams first.`, [
            {
              field: 'staff',
              message: `${team.name} still has ${staff.length === 1 ? '1 member' : `${staff.length} members`} of staff: move them to other teams first`,
            },
          ]);
      }),

    reopenTeam: (teamId: number, actor: Actor) => setTeamOpen(teamId, true, actor),

    async addPerson(input: unknown, actor: Actor): Promise<StaffMember> {
      const data = validate(validateNewPerson, input, 'member of staff');
      const personId = await db.transaction(async (tx) => {
        const team = await openTeam(tx, data.teamId);
        const manager = data.lineManagerId
          ? await checkLineManager(tx, undefined, data.lineManagerId)
          : undefined;
        const person = {
          displayName: nameOf(data.displayName, 'displayName'),
          jobTitle: data.jobTitle?.trim() || null,
          teamId: team.id,
          lineManagerId: manager?.id ?? null,
          email: data.email?.trim() || null,
          externalRef: data.externalRef?.trim() || null,
        };
        const newId = await organisationRepository.insertPerson(tx, person);
        await activityLog.record(tx, actor, {
          action: 'person.create',
          recordType: 'person',
          recordId: newId,
          summary: {
            after: { ...person, team: team.name, lineManager: manager?.displayName ?? null },
          },
        });
        return newId;
      });
      return findPerson(ex, personId);
    },

    /** Changes a member of staff's details, moves them to another team, or sets their line manager. */
    async updatePerson(personId: number, input: unknown, actor: Actor): Promise<StaffMember> {
      const data = validate(validatePersonChange, input, 'change');
      await db.transaction(async (tx) => {
        const before = await findPerson(tx, personId);
        const record = (action: AuditAction, summary: Record<string, unknown>) =>
          activityLog.record(tx, actor, { action, recordType: 'person', recordId: personId, summary });
        const changes: Partial<PersonChanges> = {};
        const details: { before: Record<string, unknown>; after: Record<string, unknown> } = {
          before: {},
          after: {},
        };
        const detail = <K extends 'displayName' | 'jobTitle' | 'email'>(key: K, value: string | null) => {
          if (value === before[key]) return;
          changes[key] = value as PersonChanges[K];
          details.before[key] = before[key];
          details.after[key] = value;
        };
        if (data.displayName != null) detail('displayName', nameOf(data.displayName, 'displayName'));
        if (data.jobTitle !== undefined) detail('jobTitle', data.jobTitle?.trim() || null);
        if (data.email !== undefined) detail('email', data.email?.trim() || null);

        const moveTo =
          data.teamId !== undefined && data.teamId !== null && data.teamId !== before.teamId
            ? await openTeam(tx, data.teamId)
            : undefined;
        if (moveTo) changes.teamId = moveTo.id;
        const managerChanged =
          data.lineManagerId !== undefined && data.lineManagerId !== before.lineManagerId;
        const manager =
          managerChanged && data.lineManagerId
            ? await checkLineManager(tx, personId, data.lineManagerId)
            : undefined;
        if (managerChanged) changes.lineManagerId = manager?.id ?? null;
        if (Object.keys(changes).length === 0) return;

        await organisationRepository.updatePerson(tx, personId, changes);
        const name = changes.displayName ?? before.displayName;
        if (Object.keys(details.after).length > 0) await record('person.update', details);
        if (moveTo)
          await record('person.move', {
            name,
            before: { teamId: before.teamId, team: before.teamName },
            after: { teamId: moveTo.id, team: moveTo.name },
          });
        if (managerChanged)
          await record('person.change_line_manager', {
            name,
            before: { lineManagerId: before.lineManagerId, lineManager: before.lineManagerName },
            after: { lineManagerId: manager?.id ?? null, lineManager: manager?.displayName ?? null },
          });
      });
      return findPerson(ex, personId);
    },
  };
}
