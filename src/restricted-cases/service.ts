import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Database } from '../db/transaction';
import { NotFoundError, ValidationError } from '../errors';
import { parseId } from '../http/params';
import type { FieldError } from '../errors';
import type { UsersService } from '../users/service';
import { isPlainObject } from '../validation';
import { restrictedCaseRepository, type RestrictedCase } from './repository';

/** The longest reason a grant takes. */
export const MAX_REASON = 300;

export type RestrictedCasesService = ReturnType<typeof createRestrictedCasesService>;

/** Not found, without echoing the reference asked for (the address may be a guess). */
const noSuchCase = () => new NotFoundError('No imported case with this reference is marked restricted.');

/**
 * Restricted cases (adoption, high profile, a member of staff's family): a case list marks them, and only
 * admins and the users an admin names may see them, within what those users' roles and teams allow
 * (src/auth/scope.ts). Granting and taking away access are in the audit log, with the reason.
 */
export function createRestrictedCasesService(db: Database, activityLog: ActivityLog, users: UsersService) {
  const ex = db.executor;

  async function find(caseRef: string): Promise<RestrictedCase> {
    const [found] = await restrictedCaseRepository.list(ex, caseRef);
    if (!found) throw noSuchCase();
    return found;
  }

  /** The user and the reason sent, checked: every problem found in one pass. */
  async function checkedGrant(input: unknown) {
    const sent = isPlainObject(input) ? input : {};
    const errors: FieldError[] = [];
    const id = parseId(typeof sent.userId === 'number' ? String(sent.userId) : sent.userId);
    const user = id === undefined ? undefined : await users.findById(id);
    if (!user || !user.active)
      errors.push({ field: 'userId', message: 'Choose an active user to grant access to' });
    else if (user.roles.includes('admin'))
      errors.push({
        field: 'userId',
        message: `${user.displayName} is an administrator and sees every restricted case already`,
      });
    const reason = typeof sent.reason === 'string' ? sent.reason.trim() : '';
    if (!reason) errors.push({ field: 'reason', message: 'Enter why they need to see this case' });
    else if (reason.length > MAX_REASON)
      errors.push({ field: 'reason', message: `The reason must be ${MAX_REASON} characters or fewer` });
    if (errors.length > 0 || !user) throw new ValidationError('The grant is not valid.', errors);
    return { user, reason };
  }

  return {
    /** Every restricted case with who was granted it. */
    list: () => restrictedCaseRepository.list(ex),

    find,

    /** The case and its grants, as an admin opens it: a view of case-level data, so logged. */
    async view(caseRef: string, actor: Actor): Promise<RestrictedCase> {
      const found = await find(caseRef);
      await activityLog.recordView(actor, 'restricted_case', caseRef);
      return found;
    },

    /** The list shows case references: its view is logged too. */
    recordListView: (actor: Actor) => activityLog.recordView(actor, 'case_list', '{"restricted":true}'),

    /** Grants a restricted case to a user (not an admin: they see them all). Granting it again changes nothing. */
    async grant(caseRef: string, input: unknown, actor: Actor): Promise<RestrictedCase> {
      await find(caseRef);
      const { user, reason } = await checkedGrant(input);
      await db.transaction(async (tx) => {
        const added = await restrictedCaseRepository.grant(tx, {
          caseRef,
          userId: user.id,
          reason,
          grantedByUserId: actor.userId,
        });
        if (added)
          await activityLog.record(tx, actor, {
            action: 'restricted_case.grant',
            recordType: 'restricted_case',
            recordId: caseRef,
            summary: { after: { userId: user.id, name: user.displayName, reason } },
          });
      });
      return find(caseRef);
    },

    /** Takes a user's access away: the case is as absent to them from their next request. */
    async revoke(caseRef: string, userIdParam: string, actor: Actor): Promise<RestrictedCase> {
      await find(caseRef);
      const userId = parseId(userIdParam);
      await db.transaction(async (tx) => {
        const removed =
          userId === undefined ? undefined : await restrictedCaseRepository.revoke(tx, caseRef, userId);
        if (!removed || userId === undefined)
          throw new NotFoundError('That user has not been granted this case.');
        await activityLog.record(tx, actor, {
          action: 'restricted_case.revoke',
          recordType: 'restricted_case',
          recordId: caseRef,
          summary: { before: { userId, reason: removed.reason } },
        });
      });
      return find(caseRef);
    },
  };
}
