import { knexOf } from '../db/query';
import type { Role } from '../auth/roles';
import { translating, type ConstraintMessages } from '../db/errors';
import type { Executor } from '../db/transaction';
import type { User } from './user';

const TABLE = 'app_user';

const CONSTRAINTS: ConstraintMessages = {
  app_user_email_lower_unique: { field: 'email', message: 'A user with this email already exists.' },
  app_user_person_id_unique: {
    field: 'person',
    message: 'This staff record is already linked to another user.',
  },
  app_user_external_subject_unique: {
    field: 'externalSubjectId',
    message: 'This single sign-on identity is already linked to another user.',
  },
};

interface UserRow {
  id: number;
  email: string;
  display_name: string;
  active: boolean;
  person_id: number | null;
  home_team_id: number | null;
  tenant_id: string | null;
  external_subject_id: string | null;
  last_signed_in_at: Date | null;
  roles: Role[];
  managed_team_ids: number[];
  service_area_ids: number[];
  service_area_team_ids: number[];
  restricted_case_refs: string[];
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    active: row.active,
    roles: row.roles,
    personId: row.person_id,
    homeTeamId: row.home_team_id,
    managedTeamIds: row.managed_team_ids,
    serviceAreaIds: row.service_area_ids,
    serviceAreaTeamIds: row.service_area_team_ids,
    restrictedCaseRefs: row.restricted_case_refs,
    tenantId: row.tenant_id,
    externalSubjectId: row.external_subject_id,
    lastSignedInAt: row.last_signed_in_at,
  };
}

function selectUsers(ex: Executor) {
  return knexOf(ex)(`${TABLE} as u`)
    .leftJoin('person as p', 'p.id', 'u.person_id')
    .select<UserRow[]>(
      'u.id',
      'u.email',
      'u.display_name',
      'u.active',
      'u.person_id',
      'p.team_id as home_team_id',
      'u.tenant_id',
      'u.external_subject_id',
      'u.last_signed_in_at',
      knexOf(ex).raw(
        `array(select role_code from user_role r where r.user_id = u.id order by role_code) as roles`,
      ),
      knexOf(ex).raw(
        `array(select team_id from user_team ut where ut.user_id = u.id order by team_id) as managed_team_ids`,
      ),
      knexOf(ex).raw(
        `array(select service_area_id from user_service_area usa where usa.user_id = u.id order by service_area_id) as service_area_ids`,
      ),
      knexOf(ex)
        .raw(`array(select t.id from team t join user_service_area usa on usa.service_area_id = t.service_area_id
                    where usa.user_id = u.id order by t.id) as service_area_team_ids`),
      knexOf(ex).raw(
        `array(select case_ref from restricted_case_access g where g.user_id = u.id order by case_ref) as restricted_case_refs`,
      ),
    );
}

export interface NewUser {
  email: string;
  displayName: string;
  personId?: number | null;
  tenantId?: string | null;
  externalSubjectId?: string | null;
}

export const userRepository = {
  async findById(ex: Executor, id: number): Promise<User | undefined> {
    const row = await selectUsers(ex).where('u.id', id).first();
    return row && toUser(row);
  },

  async findBySubject(ex: Executor, tenantId: string, subject: string): Promise<User | undefined> {
    const row = await selectUsers(ex)
      .where({ 'u.tenant_id': tenantId, 'u.external_subject_id': subject })
      .first();
    return row && toUser(row);
  },

  /** Changes the name and email the identity provider gives a user. */
  async setIdentity(ex: Executor, userId: number, email: string, displayName: string): Promise<void> {
    await translating(
      knexOf(ex)(TABLE).where({ id: userId }).update({ email, display_name: displayName }),
      CONSTRAINTS,
    );
  },

  /** Links a user to their single sign-on identity. */
  async setSubject(ex: Executor, userId: number, tenantId: string, subject: string): Promise<void> {
    await translating(
      knexOf(ex)(TABLE).where({ id: userId }).update({ tenant_id: tenantId, external_subject_id: subject }),
      CONSTRAINTS,
    );
  },

  /** Makes concurrent first sign-ins of one person wait for each other, so they make one user. */
  async lockSubject(ex: Executor, tenantId: string, subject: string): Promise<void> {
    await knexOf(ex).raw('select pg_advisory_xact_lock(hashtext(?))', [`app_user:${tenantId}:${subject}`]);
  },

  async findByEmail(ex: Executor, email: string): Promise<User | undefined> {
    const row = await selectUsers(ex).whereRaw('lower(u.email) = lower(?)', [email]).first();
    return row && toUser(row);
  },

  async listWithRole(ex: Executor, role: Role): Promise<User[]> {
    const rows = await selectUsers(ex)
      .where('u.active', true)
      .whereRaw('exists (select 1 from user_role r where r.user_id = u.id and r.role_code = ?)', [role])
      .orderBy('u.display_name');
    return rows.map(toUser);
  },

  async list(ex: Executor): Promise<User[]> {
    const rows = await selectUsers(ex).orderBy('u.display_name');
    return rows.map(toUser);
  },

  async insert(ex: Executor, user: NewUser): Promise<number> {
    const [row] = await translating(
      knexOf(ex)(TABLE)
        .insert({
          email: user.email,
          display_name: user.displayName,
          person_id: user.personId ?? null,
          tenant_id: user.tenantId ?? null,
          external_subject_id: user.externalSubjectId ?? null,
        })
        .returning<{ id: number }[]>('id'),
      CONSTRAINTS,
    );
    if (!row) throw new Error('insert returned no id');
    return row.id;
  },

  async addRoles(ex: Executor, userId: number, roles: readonly Role[]): Promise<void> {
    if (roles.length === 0) return;
    await knexOf(ex)('user_role')
      .insert(roles.map((role) => ({ user_id: userId, role_code: role })))
      .onConflict(['user_id', 'role_code'])
      .ignore();
  },

  async addManagedTeams(ex: Executor, userId: number, teamIds: readonly number[]): Promise<void> {
    if (teamIds.length === 0) return;
    await translating(
      knexOf(ex)('user_team')
        .insert(teamIds.map((teamId) => ({ user_id: userId, team_id: teamId })))
        .onConflict(['user_id', 'team_id'])
        .ignore(),
    );
  },

  async addServiceAreas(ex: Executor, userId: number, serviceAreaIds: readonly number[]): Promise<void> {
    if (serviceAreaIds.length === 0) return;
    await translating(
      knexOf(ex)('user_service_area')
        .insert(serviceAreaIds.map((id) => ({ user_id: userId, service_area_id: id })))
        .onConflict(['user_id', 'service_area_id'])
        .ignore(),
    );
  },

  async recordSignIn(ex: Executor, userId: number): Promise<void> {
    await knexOf(ex)(TABLE)
      .where({ id: userId })
      .update({ last_signed_in_at: knexOf(ex).fn.now() });
  },

  async setRoles(ex: Executor, userId: number, roles: readonly Role[]): Promise<void> {
    await knexOf(ex)('user_role').where({ user_id: userId }).whereNotIn('role_code', roles).delete();
    await userRepository.addRoles(ex, userId, roles);
  },

  async setManagedTeams(ex: Executor, userId: number, teamIds: readonly number[]): Promise<void> {
    await knexOf(ex)('user_team').where({ user_id: userId }).whereNotIn('team_id', teamIds).delete();
    await userRepository.addManagedTeams(ex, userId, teamIds);
  },

  async setServiceAreas(ex: Executor, userId: number, serviceAreaIds: readonly number[]): Promise<void> {
    await knexOf(ex)('user_service_area')
      .where({ user_id: userId })
      .whereNotIn('service_area_id', serviceAreaIds)
      .delete();
    await userRepository.addServiceAreas(ex, userId, serviceAreaIds);
  },

  async setActive(ex: Executor, userId: number, active: boolean): Promise<void> {
    await knexOf(ex)(TABLE).where({ id: userId }).update({ active });
  },

  /**
   * Makes every change that could take away an administrator wait for the others (until the transaction
   * ends), so two administrators removing each other at once cannot leave the service with none.
   */
  async lockAdministrators(ex: Executor): Promise<void> {
    await knexOf(ex).raw("select pg_advisory_xact_lock(hashtext('app_user:administrators'))");
  },

  async countActiveAdministrators(ex: Executor): Promise<number> {
    const row = await knexOf(ex)(`${TABLE} as u`)
      .join('user_role as r', 'r.user_id', 'u.id')
      .where({ 'u.active': true, 'r.role_code': 'admin' })
      .count<{ count: string }[]>('* as count')
      .first();
    return Number(row?.count ?? 0);
  },
};
