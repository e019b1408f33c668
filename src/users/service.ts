import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { ROLES, type Role } from '../auth/roles';
import { endSessionsOf } from '../auth/sessions';
import type { Database, Executor } from '../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { MAX_ID } from '../http/params';
import { organisationReadModel } from '../organisation/read-model';
import { revokeTokensOf } from '../tokens/revocation';
import { compile, validate, type FromSchema } from '../validation';
import { userRepository } from './repository';
import { responsibilityChanges } from './rules';
import type { User } from './user';
import { signInWithIdentity, type Identity } from './single-sign-on';

const ids = {
  type: 'array',
  nullable: true,
  uniqueItems: true,
  items: { type: 'integer', minimum: 1, maximum: MAX_ID },
} as const;
const codes = {
  type: 'array',
  nullable: true,
  uniqueItems: true,
  items: { type: 'string', minLength: 1 },
} as const;
const roles = {
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', enum: ROLES },
} as const;

const addUserSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'displayName', 'roles'],
  properties: {
    email: { type: 'string', format: 'email', maxLength: 254 },
    displayName: { type: 'string', minLength: 1, maxLength: 200 },
    roles,
    /** Codes of the teams they manage (team managers). */
    teamCodes: codes,
    /** Codes of the service areas they lead (heads of service). */
    serviceAreaCodes: codes,
    /** Ids of the teams they manage, as an alternative to codes. */
    teamIds: ids,
    /** Ids of the service areas they lead, as an alternative to codes. */
    serviceAreaIds: ids,
    /** Links the user to the staff record with this email (refused if there is none). */
    linkPerson: { type: 'boolean', nullable: true },
  },
} as const;
export type AddUserInput = FromSchema<typeof addUserSchema>;
const validateAddUser = compile(addUserSchema);

/** A change to what a user answers for; what is left out stays as it is. */
const updateUserSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { roles: { ...roles, nullable: true }, teamIds: ids, serviceAreaIds: ids },
} as const;
export type UpdateUserInput = FromSchema<typeof updateUserSchema>;
const validateUpdateUser = compile(updateUserSchema);

async function resolveCodes(
  ex: Executor,
  table: 'team' | 'service_area',
  codes: readonly string[],
  field: string,
): Promise<number[]> {
  const ids = await organisationReadModel.idsByCode(ex, table, codes);
  const unknown = codes.filter((code) => !ids.has(code));
  if (unknown.length > 0) {
    throw new ValidationError(`Unknown ${table.replace('_', ' ')} code: ${unknown.join(', ')}.`, [
      { field, message: `has unknown codes: ${unknown.join(', ')}` },
    ]);
  }
  return codes.map((code) => ids.get(code) as number);
}

/**
 * Checks the teams a user is to manage: each must exist, and a team not already theirs must be open (a
 * closed team keeps its managers for its history, but is given to nobody new).
 */
async function checkTeams(ex: Executor, teamIds: readonly number[], already: readonly number[]) {
  const teams = new Map((await organisationReadModel.allTeams(ex)).map((team) => [team.id, team]));
  const unknown = teamIds.filter((id) => !teams.has(id));
  if (unknown.length > 0)
    throw new ValidationError(`Unknown team: ${unknown.join(', ')}.`, [
      { field: 'teamIds', message: `There is no team with id ${unknown.join(', ')}` },
    ]);
  const closed = teamIds.filter((id) => !already.includes(id) && !teams.get(id)?.active);
  if (closed.length > 0)
    throw new ValidationError('A closed team cannot be given a new manager.', [
      {
        field: 'teamIds',
        message: `${closed.map((id) => teams.get(id)?.name).join(', ')} is closed: choose an open team`,
      },
    ]);
}

async function checkServiceAreas(ex: Executor, serviceAreaIds: readonly number[]) {
  const known = new Set((await organisationReadModel.listServiceAreas(ex)).map((area) => area.id));
  const unknown = serviceAreaIds.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new ValidationError(`Unknown service area: ${unknown.join(', ')}.`, [
      { field: 'serviceAreaIds', message: `There is no service area with id ${unknown.join(', ')}` },
    ]);
}

/**
 * Refuses a change to an active administrator (`who`, as they were) that leaves nobody able to administer
 * the service; call after making it, holding the administrators' lock.
 */
async function keepAnAdministrator(ex: Executor, who: User, field: string) {
  if (!who.active || !who.roles.includes('admin')) return;
  if ((await userRepository.countActiveAdministrators(ex)) > 0) return;
  throw new ConflictError(
    `${who.displayName} is the only active administrator: give someone else the administrator role first.`,
    [
      {
        field,
        message: `${who.displayName} is the only active administrator: give another user the administrator role first`,
      },
    ],
  );
}

const union = (a: readonly number[], b: readonly number[]) => [...new Set([...a, ...b])];

function found(user: User | undefined): User {
  if (!user) throw new NotFoundError('There is no user at this address.');
  return user;
}

export type UsersService = ReturnType<typeof createUsersService>;

export function createUsersService(db: Database, activityLog: ActivityLog) {
  return {
    findById: (id: number) => userRepository.findById(db.executor, id),
    /** The user with this id; not found otherwise. */
    get: async (id: number) => found(await userRepository.findById(db.executor, id)),
    findByEmail: (email: string) => userRepository.findByEmail(db.executor, email),
    list: () => userRepository.list(db.executor),
    listWithRole: (role: Role) => userRepository.listWithRole(db.executor, role),

    async add(input: unknown, actor: Actor): Promise<User> {
      const data = validate(validateAddUser, input, 'user');
      if (!data.displayName.trim())
        throw new ValidationError('The user is not valid.', [
          { field: 'displayName', message: 'must not be blank' },
        ]);
      const id = await db.transaction(async (tx) => {
        const teamIds = union(
          data.teamIds ?? [],
          await resolveCodes(tx, 'team', data.teamCodes ?? [], 'teamCodes'),
        );
        const serviceAreaIds = union(
          data.serviceAreaIds ?? [],
          await resolveCodes(tx, 'service_area', data.serviceAreaCodes ?? [], 'serviceAreaCodes'),
        );
        await checkTeams(tx, teamIds, []);
        await checkServiceAreas(tx, serviceAreaIds);
        const personId = data.linkPerson
          ? await organisationReadModel.findPersonIdByEmail(tx, data.email)
          : undefined;
        if (data.linkPerson && personId === undefined)
          throw new ValidationError(`There is no member of staff with the email ${data.email}.`, [
            {
              field: 'linkPerson',
              message: 'There is no member of staff with this email: add them in Teams and staff first',
            },
          ]);
        const id = await userRepository.insert(tx, {
          email: data.email,
          displayName: data.displayName,
          personId: personId ?? null,
        });
        await userRepository.addRoles(tx, id, data.roles);
        await userRepository.addManagedTeams(tx, id, teamIds);
        await userRepository.addServiceAreas(tx, id, serviceAreaIds);
        await activityLog.record(tx, actor, {
          action: 'user.create',
          recordType: 'app_user',
          recordId: id,
          summary: {
            after: {
              displayName: data.displayName,
              roles: data.roles,
              teamIds,
              serviceAreaIds,
              personId: personId ?? null,
            },
          },
        });
        return id;
      });
      return found(await userRepository.findById(db.executor, id));
    },

    /** Changes a user's roles, the teams they manage and the service areas they lead. */
    async update(id: number, input: unknown, actor: Actor): Promise<User> {
      const data = validate(validateUpdateUser, input, 'change');
      await db.transaction(async (tx) => {
        await userRepository.lockAdministrators(tx);
        const before = found(await userRepository.findById(tx, id));
        const current = {
          roles: before.roles,
          teamIds: before.managedTeamIds,
          serviceAreaIds: before.serviceAreaIds,
        };
        const next = {
          roles: data.roles ?? current.roles,
          teamIds: data.teamIds ?? current.teamIds,
          serviceAreaIds: data.serviceAreaIds ?? current.serviceAreaIds,
        };
        const change = responsibilityChanges(current, next);
        if (!change) return;
        await checkTeams(tx, next.teamIds, current.teamIds);
        await checkServiceAreas(tx, next.serviceAreaIds);
        await userRepository.setRoles(tx, id, next.roles);
        await userRepository.setManagedTeams(tx, id, next.teamIds);
        await userRepository.setServiceAreas(tx, id, next.serviceAreaIds);
        await keepAnAdministrator(tx, before, 'roles');
        await activityLog.record(tx, actor, {
          action: 'user.update',
          recordType: 'app_user',
          recordId: id,
          summary: change,
        });
      });
      return found(await userRepository.findById(db.executor, id));
    },

    /**
     * Stops a user signing in: their sessions end and their API tokens are revoked at once, in the same
     * transaction, so nothing they held works again even if they are reactivated. Nobody deactivates
     * themselves, and the last active administrator cannot be deactivated.
     */
    async deactivate(id: number, actor: Actor): Promise<User> {
      await db.transaction(async (tx) => {
        await userRepository.lockAdministrators(tx);
        const before = found(await userRepository.findById(tx, id));
        if (actor.userId === id)
          throw new ConflictError('You cannot deactivate yourself: ask another administrator.', [
            { field: 'active', message: 'You cannot deactivate yourself: ask another administrator' },
          ]);
        // Repeating a deactivation answers with what the first one did.
        if (!before.active) return;
        await userRepository.setActive(tx, id, false);
        await keepAnAdministrator(tx, before, 'active');
        const sessionsEnded = await endSessionsOf(tx, id);
        const tokensRevoked = await revokeTokensOf(tx, id);
        await activityLog.record(tx, actor, {
          action: 'user.deactivate',
          recordType: 'app_user',
          recordId: id,
          summary: { before: { active: true }, after: { active: false }, sessionsEnded, tokensRevoked },
        });
      });
      return found(await userRepository.findById(db.executor, id));
    },

    /**
     * Signs a user out everywhere: every session they hold ends at once (their API tokens stay: revoke
     * those one by one, or deactivate the user).
     */
    async signOutEverywhere(id: number, actor: Actor): Promise<{ user: User; sessionsEnded: number }> {
      const sessionsEnded = await db.transaction(async (tx) => {
        const user = found(await userRepository.findById(tx, id));
        const ended = await endSessionsOf(tx, user.id);
        await activityLog.record(tx, actor, {
          action: 'user.sign_out_everywhere',
          recordType: 'app_user',
          recordId: id,
          summary: { sessionsEnded: ended },
        });
        return ended;
      });
      return { user: found(await userRepository.findById(db.executor, id)), sessionsEnded };
    },

    /** Lets a deactivated user sign in again (with new sessions and tokens: the old ones stay ended). */
    async reactivate(id: number, actor: Actor): Promise<User> {
      await db.transaction(async (tx) => {
        const before = found(await userRepository.findById(tx, id));
        if (before.active) return;
        await userRepository.setActive(tx, id, true);
        await activityLog.record(tx, actor, {
          action: 'user.reactivate',
          recordType: 'app_user',
          recordId: id,
          summary: { before: { active: false }, after: { active: true } },
        });
      });
      return found(await userRepository.findById(db.executor, id));
    },

    async recordSignIn(user: User, actor: Actor, method: string): Promise<void> {
      await db.transaction(async (tx) => {
        await userRepository.recordSignIn(tx, user.id);
        await activityLog.record(tx, actor, {
          action: 'user.sign_in',
          recordType: 'app_user',
          recordId: user.id,
          summary: { method },
        });
      });
    },

    /**
     * Signs in someone an identity provider vouched for, in the caller's transaction: see
     * `signInWithIdentity`.
     */
    signInWithIdentity: (tx: Executor, identity: Identity, actor: Actor) =>
      signInWithIdentity(tx, activityLog, identity, actor),

    async recordSignOut(userId: number, actor: Actor): Promise<void> {
      await db.transaction((tx) =>
        activityLog.record(tx, actor, { action: 'user.sign_out', recordType: 'app_user', recordId: userId }),
      );
    },
  };
}
