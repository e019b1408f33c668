import { caseScopeFor, maySeeRestricted, scopeIncludes, type RestrictableCase } from '../auth/scope';
import { NotFoundError } from '../errors';
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
 * case-level records, and moderators see an audit only through the moderation queue (src/moderation). A
 * restricted case's audit is seen only by admins and the users granted the case.
 */
export function auditAccess(
  user: Pick<User, 'id' | 'roles' | 'managedTeamIds' | 'serviceAreaTeamIds' | 'restrictedCaseRefs'>,
  audit: { auditorUserId: number | null; teamId: number } & RestrictableCase,
): AuditAccess {
  // A restricted case is as absent, even to its auditor, unless they were granted it.
  if (!maySeeRestricted(user, audit)) return NONE;
  if (user.roles.includes('auditor') && audit.auditorUserId === user.id)
    return { readSubmitted: true, readDraft: true, edit: true };
  if (user.roles.includes('admin')) return { readSubmitted: true, readDraft: true, edit: false };
  if (scopeIncludes(caseScopeFor(user), audit.teamId)) return { ...NONE, readSubmitted: true };
  return NONE;
}

/**
 * The answer for an audit that does not exist and for one the user may not read alike, so that nobody can
 * tell which audit ids exist by probing them.
 */
export const noSuchAudit = (id: number) => new NotFoundError(`There is no audit ${id}.`);
