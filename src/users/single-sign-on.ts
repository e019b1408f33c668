import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Executor } from '../db/transaction';
import { organisationReadModel } from '../organisation/read-model';
import type { Role } from '../auth/roles';
import { userRepository } from './repository';
import { responsibilityChanges } from './rules';
import type { User } from './user';

/** A person as an identity provider vouches for them, with what their claims grant. */
export interface Identity {
  /** The tenant (Entra) or identity provider the subject is unique within. */
  tenantId: string;
  /** Their immutable id there (Entra object id, persistent NameID). */
  subject: string;
  email: string;
  displayName: string;
  roles: Role[];
  teamCodes: string[];
  serviceAreaCodes: string[];
}

/** Why someone the identity provider vouched for still may not sign in. */
export type SignInRefusal = 'deactivated' | 'email-in-use' | 'unknown-codes';

async function reloaded(tx: Executor, id: number): Promise<User> {
  const user = await userRepository.findById(tx, id);
  if (!user) throw new Error(`user ${id} is gone`);
  return user;
}

/**
 * Signs in the person the identity provider asserted, in the caller's transaction: found by their
 * immutable subject within their tenant (never by email), added the first time, and given exactly the
 * roles, teams and service areas their claims grant now (a grant taken away is taken away). Each change
 * is in the audit log, and the sign-in too.
 */
export async function signInWithIdentity(
  tx: Executor,
  activityLog: ActivityLog,
  identity: Identity,
  actor: Actor,
): Promise<User | { refused: SignInRefusal }> {
  /** Records what the person did, as themselves, through single sign-on. */
  const log = (userId: number, action: 'user.create' | 'user.update' | 'user.sign_in', summary: object) =>
    activityLog.record(
      tx,
      { ...actor, kind: 'user', userId },
      {
        action,
        recordType: 'app_user',
        recordId: userId,
        summary: { ...summary, method: 'saml' },
      },
    );
  await userRepository.lockSubject(tx, identity.tenantId, identity.subject);
  let user = await userRepository.findBySubject(tx, identity.tenantId, identity.subject);
  if (user && !user.active) return { refused: 'deactivated' };
  const teams = await organisationReadModel.idsByCode(tx, 'team', identity.teamCodes);
  const areas = await organisationReadModel.idsByCode(tx, 'service_area', identity.serviceAreaCodes);
  if (teams.size < identity.teamCodes.length || areas.size < identity.serviceAreaCodes.length)
    return { refused: 'unknown-codes' };
  const next = {
    roles: identity.roles,
    teamIds: identity.teamCodes.map((code) => teams.get(code) as number),
    serviceAreaIds: identity.serviceAreaCodes.map((code) => areas.get(code) as number),
  };
  if (!user) {
    const taken = await userRepository.findByEmail(tx, identity.email);
    if (taken) return { refused: 'email-in-use' };
    const id = await userRepository.insert(tx, {
      email: identity.email,
      displayName: identity.displayName,
      tenantId: identity.tenantId,
      externalSubjectId: identity.subject,
    });
    await userRepository.addRoles(tx, id, next.roles);
    await userRepository.addManagedTeams(tx, id, next.teamIds);
    await userRepository.addServiceAreas(tx, id, next.serviceAreaIds);
    await log(id, 'user.create', { after: { displayName: identity.displayName, ...next } });
    user = await reloaded(tx, id);
  } else {
    const change = responsibilityChanges(
      { roles: user.roles, teamIds: user.managedTeamIds, serviceAreaIds: user.serviceAreaIds },
      next,
    );
    if (user.email !== identity.email || user.displayName !== identity.displayName) {
      const taken = await userRepository.findByEmail(tx, identity.email);
      if (taken && taken.id !== user.id) return { refused: 'email-in-use' };
      await userRepository.setIdentity(tx, user.id, identity.email, identity.displayName);
    }
    if (change) {
      await userRepository.setRoles(tx, user.id, next.roles);
      await userRepository.setManagedTeams(tx, user.id, next.teamIds);
      await userRepository.setServiceAreas(tx, user.id, next.serviceAreaIds);
      await log(user.id, 'user.update', change);
    }
    user = await reloaded(tx, user.id);
  }
  await userRepository.recordSignIn(tx, user.id);
  await log(user.id, 'user.sign_in', {});
  return user;
}
