/** Why someone receives a safeguarding concern: they manage the case's team, or lead its service area. */
export type RecipientRole = 'team_manager' | 'head_of_service';

export const RECIPIENT_ROLES: readonly RecipientRole[] = ['team_manager', 'head_of_service'];

/** A safeguarding concern as it reached (or failed to reach) one recipient. */
export interface Escalation {
  id: number;
  concernId: number;
  auditId: number;
  auditorUserId: number | null;
  caseRef: string;
  /** A restricted case: its escalations reach, and are seen by, only those granted it. */
  restricted: boolean;
  teamId: number;
  teamName: string;
  serviceAreaName: string | null;
  role: RecipientRole;
  /** Who it went to; null while it reaches nobody. */
  recipient: { id: number; name: string; active: boolean } | null;
  raisedAt: Date;
  raisedByName: string | null;
  /** What the concern is (case content). */
  details: string;
  escalatedAt: Date;
  acknowledged: { at: Date; byName: string | null } | null;
  /** Set when an administrator chose the recipient after it had reached nobody. */
  routed: { at: Date; byName: string | null } | null;
}

/** Where a concern went when it was raised: who received it, and which roles nobody holds. */
export interface EscalationOutcome {
  concernId: number;
  recipients: { role: RecipientRole; userId: number; name: string; description: string }[];
  unrouted: { role: RecipientRole; escalationId: number; reason: string }[];
  /** One plain sentence or two for the person who raised it. */
  message: string;
}
