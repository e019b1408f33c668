import { scopeIncludes, teamScopeFor } from '../auth/scope';
import type { User } from '../users/user';

/** What a user may do with an audit. */
export interface AuditAccess {
  /** See the submitted revisions. */
  readSubmitted: boolean;
  /** See the draft being written too. */
  readDraft: boolean;
  /** Save drafts, submit, reopen and raise concerns: only the auditor it is allocated to. */
  edit: boolean;
}

const NONE: AuditAccess = { readSubmitted: false, readDraft: false, edit: false };

/**
 * Who may see and change an audit. The auditor it is allocated to edits it; admins read everything; team
 * managers and heads of service read what was submitted for cases in their teams. Directors never see
 * case-level records, and moderators see an audit only through the moderation queue (src/moderation).
 */
export function auditAccess(
  user: Pick<User, 'id' | 'roles' | 'managedTeamIds' | 'serviceAreaTeamIds'>,
  audit: { auditorUserId: number | null; teamId: number },
): AuditAccess {
  if (user.roles.includes('auditor') && audit.auditorUserId === user.id)
    return { readSubmitted: true, readDraft: true, edit: true };
  if (user.roles.includes('admin')) return { readSubmitted: true, readDraft: true, edit: false };
  const managesCase =
    (user.roles.includes('team_manager') || user.roles.includes('head_of_service')) &&
    scopeIncludes(teamScopeFor(user), audit.teamId);
  if (managesCase) return { ...NONE, readSubmitted: true };
  return NONE;
}
