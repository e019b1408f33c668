import type { JSONSchemaType } from 'ajv';
import type { Actor } from '../audit-log/actor';
import type { AuditLog } from '../audit-log/service';
import { ROLES, type Role } from '../auth/roles';
import type { Database, Executor } from '../db/transaction';
import { NotFoundError, ValidationError } from '../errors';
import { organisationRepository } from '../organisation/repository';
import { compile, validate } from '../validation';
import { userRepository } from './repository';
import type { User } from './user';

export interface AddUserInput {
  email: string;
  displayName: string;
  roles: Role[];
  /** Codes of the teams they manage (team managers). */
  teamCodes?: string[];
  /** Codes of the service areas they lead (heads of service). */
  serviceAreaCodes?: string[];
  /** Links the user to the staff record with this email, if there is one. */
  linkPerson?: boolean;
}

const addUserSchema: JSONSchemaType<AddUserInput> = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'displayName', 'roles'],
  properties: {
    email: { type: 'string', format: 'email', maxLength: 254 },
    displayName: { type: 'string', minLength: 1, maxLength: 200 },
    roles: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...ROLES] } },
    teamCodes: { type: 'array', nullable: true, uniqueItems: true, items: { type: 'string', minLength: 1 } },
    serviceAreaCodes: {
      type: 'array',
      nullable: true,
      uniqueItems: true,
      items: { type: 'string', minLength: 1 },
    },
    linkPerson: { type: 'boolean', nullable: true },
  },
};
const validateAddUser = compile(addUserSchema);

async function resolveCodes(
  ex: Executor,
  table: 'team' | 'service_area',
  codes: readonly string[],
  field: string,
): Promise<number[]> {
  const ids = await organisationRepository.idsByCode(ex, table, codes);
  const unknown = codes.filter((code) => !ids.has(code));
  if (unknown.length > 0) {
    throw new ValidationError(`Unknown ${table.replace('_', ' ')} code: ${unknown.join(', ')}.`, [
      { field, message: `has unknown codes: ${unknown.join(', ')}` },
    ]);
  }
  return codes.map((code) => ids.get(code) as number);
}

export type UsersService = ReturnType<typeof createUsersService>;

export function createUsersService(db: Database, auditLog: AuditLog) {
  return {
    findById: (id: number) => userRepository.findById(db.executor, id),
    findByEmail: (email: string) => userRepository.findByEmail(db.executor, email),
    list: () => userRepository.list(db.executor),
    listWithRole: (role: Role) => userRepository.listWithRole(db.executor, role),

    async add(input: unknown, actor: Actor): Promise<User> {
      const data = validate(validateAddUser, input, 'user');
      return db.transaction(async (tx) => {
        const teamIds = await resolveCodes(tx, 'team', data.teamCodes ?? [], 'teamCodes');
        const serviceAreaIds = await resolveCodes(
          tx,
          'service_area',
          data.serviceAreaCodes ?? [],
          'serviceAreaCodes',
        );
        const personId = data.linkPerson
          ? await organisationRepository.findPersonIdByEmail(tx, data.email)
          : undefined;
        const id = await userRepository.insert(tx, {
          email: data.email,
          displayName: data.displayName,
          personId: personId ?? null,
        });
        await userRepository.addRoles(tx, id, data.roles);
        await userRepository.addManagedTeams(tx, id, teamIds);
        await userRepository.addServiceAreas(tx, id, serviceAreaIds);
        await auditLog.record(tx, actor, {
          action: 'user.create',
          recordType: 'app_user',
          recordId: id,
          summary: { after: { roles: data.roles, teamIds, serviceAreaIds, personId: personId ?? null } },
        });
        const user = await userRepository.findById(tx, id);
        if (!user) throw new NotFoundError();
        return user;
      });
    },

    async recordSignIn(user: User, actor: Actor, method: string): Promise<void> {
      await db.transaction(async (tx) => {
        await userRepository.recordSignIn(tx, user.id);
        await auditLog.record(tx, actor, {
          action: 'user.sign_in',
          recordType: 'app_user',
          recordId: user.id,
          summary: { method },
        });
      });
    },

    async recordSignOut(userId: number, actor: Actor): Promise<void> {
      await db.transaction((tx) =>
        auditLog.record(tx, actor, { action: 'user.sign_out', recordType: 'app_user', recordId: userId }),
      );
    },
  };
}
