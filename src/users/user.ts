import type { Role } from '../auth/roles';

export interface User {
  id: number;
  email: string;
  displayName: string;
  active: boolean;
  roles: Role[];
  /** Their staff record, if linked. */
  personId: number | null;
  /** The team their staff record belongs to: they must never audit its cases. */
  homeTeamId: number | null;
  /** Teams they manage (team managers). */
  managedTeamIds: number[];
  /** Service areas they lead (heads of service)... */
  serviceAreaIds: number[];
  /** ...and the teams in them. */
  serviceAreaTeamIds: number[];
  /** Restricted cases (by case reference) they have been granted: they see these within their scope. */
  restrictedCaseRefs: string[];
  tenantId: string | null;
  externalSubjectId: string | null;
  lastSignedInAt: Date | null;
}
