import { caseScopeFor, maySeeRestricted, scopeIncludes } from '../auth/scope';
import { conflictOf, standingOf } from '../conflicts/rule';
import type { User } from '../users/user';
import type { RemediationAction, RemediationRecord } from './repository';

type Record = Pick<
  RemediationRecord,
  | 'teamId'
  | 'caseId'
  | 'caseRef'
  | 'restricted'
  | 'auditorUserId'
  | 'workerPersonId'
  | 'managerPersonId'
  | 'status'
  | 'awaitingVerification'
  | 'verifierIds'
>;

/** Team managers of the case's team own the record: they respond and set and move its actions. */
export const owns = (user: User, record: Pick<Record, 'teamId'>) =>
  user.roles.includes('team_manager') && user.managedTeamIds.includes(record.teamId);

/**
 * Who verifies completed actions: the auditor who graded the case; or, while an action waits to be
 * verified (and for the record they verified on), a moderator free of conflicts with the case.
 */
export function mayVerify(user: User, record: Record): boolean {
  if (record.auditorUserId === user.id && user.roles.includes('auditor'))
    return maySeeRestricted(user, record);
  if (!user.roles.includes('moderator') || record.auditorUserId === user.id) return false;
  if (!record.awaitingVerification && !record.verifierIds.includes(user.id)) return false;
  return !conflictOf(standingOf(user), record);
}

/**
 * Who may read a record: those whose case scope holds its team (its managers, the head of service of its
 * area, administrators), and those who verify its actions. Anyone else is told it does not exist.
 */
export const mayRead = (user: User, record: Record) =>
  (scopeIncludes(caseScopeFor(user), record.teamId) && maySeeRestricted(user, record)) ||
  mayVerify(user, record);

/** The owner of an action moves it along too, when they are a user (their staff record is linked). */
export const ownsAction = (user: User, task: Pick<RemediationAction, 'ownerPersonId'>) =>
  user.personId !== null && user.personId === task.ownerPersonId;
