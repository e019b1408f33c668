import { maySeeRestricted } from '../auth/scope';
import type { User } from '../users/user';

/** A case as the conflict rule sees it: its team, its allocated worker and their line manager. */
export interface CaseStaffing {
  caseId: number;
  teamId: number;
  workerPersonId: number | null;
  /** The allocated worker's line manager. */
  managerPersonId: number | null;
  caseRef: string;
  /** A restricted case: only those granted it may audit, moderate or calibrate it. */
  restricted: boolean;
}

/** Where a person stands in the organisation: what the conflict rule judges them on. */
export interface Standing {
  personId: number | null;
  /** The team their staff record belongs to. */
  homeTeamId: number | null;
  /** Teams they manage. */
  managedTeamIds: readonly number[];
  /** The teams of the service areas they lead (heads of service). */
  ledAreaTeamIds: readonly number[];
  /** Admins see every restricted case; others those they were granted. */
  roles: User['roles'];
  restrictedCaseRefs: readonly string[];
}

export type ConflictReason =
  'own-team' | 'manages-team' | 'leads-area' | 'allocated-worker' | 'worker-manager' | 'restricted';

/** A user's standing, from their user record. */
export function standingOf(
  user: Pick<
    User,
    'personId' | 'homeTeamId' | 'managedTeamIds' | 'serviceAreaTeamIds' | 'roles' | 'restrictedCaseRefs'
  >,
): Standing {
  return {
    personId: user.personId,
    homeTeamId: user.homeTeamId,
    managedTeamIds: user.managedTeamIds,
    ledAreaTeamIds: user.serviceAreaTeamIds,
    roles: user.roles,
    restrictedCaseRefs: user.restrictedCaseRefs,
  };
}

/**
 * Why this person must not audit, moderate or calibrate this case, or undefined when they may: nobody
 * judges practice they belong to, manage or lead, nor a restricted case they were not granted. The one rule
 * for allocation, moderation and calibration.
 */
export function conflictOf(person: Standing, c: CaseStaffing): ConflictReason | undefined {
  if (!maySeeRestricted(person, c)) return 'restricted';
  if (person.homeTeamId !== null && person.homeTeamId === c.teamId) return 'own-team';
  if (person.managedTeamIds.includes(c.teamId)) return 'manages-team';
  if (person.ledAreaTeamIds.includes(c.teamId)) return 'leads-area';
  if (person.personId !== null && person.personId === c.workerPersonId) return 'allocated-worker';
  if (person.personId !== null && person.personId === c.managerPersonId) return 'worker-manager';
  return undefined;
}

export const CONFLICT_WORDS: Record<ConflictReason, string> = {
  'own-team': 'the case is in their own team',
  'manages-team': 'they manage the case’s team',
  'leads-area': 'they lead the case’s service area',
  'allocated-worker': 'they are the allocated worker',
  'worker-manager': 'they manage the allocated worker',
  restricted: 'the case is restricted and they have not been granted it',
};
