import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { auditAccess } from '../audits/access';
import { maySeeRestricted, type RestrictableCase } from '../auth/scope';
import type { Database, Executor } from '../db/transaction';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { parseId } from '../http/params';
import type { User } from '../users/user';
import type { UsersService } from '../users/service';
import { escalationRepository } from './repository';
import { RECIPIENT_ROLES, type Escalation, type EscalationOutcome, type RecipientRole } from './types';
import { nobodySentence, outcomeMessage, roleFor } from './wording';
import { safeguardingConcern } from '../notifications/messages';
import type { NotificationsService } from '../notifications/service';

const isAdmin = (user: Pick<User, 'roles'>) => user.roles.includes('admin');

/**
 * Only its recipient and administrators (who read, never act) may know an escalation exists; of a
 * restricted case, only a recipient granted the case.
 */
function visibleTo(escalation: Escalation, user: User): boolean {
  return isAdmin(user) || (escalation.recipient?.id === user.id && maySeeRestricted(user, escalation));
}

const noSuchEscalation = (id: number) => new NotFoundError(`There is no escalation ${id}.`);

/** An escalation that reaches nobody: no recipient, or one deactivated before seeing it. */
export const needsRecipient = (e: Escalation) => !e.recipient || (!e.acknowledged && !e.recipient.active);

export interface Inbox {
  /** Sent to this user and not yet acknowledged: what the home page counts. */
  toAcknowledge: Escalation[];
  /** Sent to this user and acknowledged. */
  acknowledged: Escalation[];
  /** For administrators: every escalation, read-only. */
  all?: Escalation[];
}

export type EscalationsService = ReturnType<typeof createEscalationsService>;

/**
 * Safeguarding concerns as they reach people: each recipient's inbox and acknowledgement, and the
 * administrators' Needs attention list of concerns that reached nobody until they choose who receives them.
 */
export function createEscalationsService(
  db: Database,
  activityLog: ActivityLog,
  users: UsersService,
  /** Writes notifications in the caller's transaction; they are sent after it commits. */
  notify: NotificationsService['notify'],
) {
  const ex = db.executor;

  async function visible(executor: Executor, id: number, user: User, lock = false) {
    const escalation = await escalationRepository.find(executor, id, lock);
    if (!escalation || !visibleTo(escalation, user)) throw noSuchEscalation(id);
    return escalation;
  }

  function requireAdmin(user: User) {
    if (!isAdmin(user)) throw new ForbiddenError('Only administrators choose who receives a concern.');
  }

  /** The user an administrator chose: an active user who holds the role the concern is for. */
  async function chosenRecipient(value: unknown, role: RecipientRole): Promise<User> {
    const id = parseId(typeof value === 'number' ? String(value) : value);
    const user = id === undefined ? undefined : await users.findById(id);
    const roleName = role === 'team_manager' ? 'a team manager' : 'a head of service';
    if (!user || !user.active || !user.roles.includes(role))
      throw new ValidationError(`Choose who receives the concern: an active user who is ${roleName}.`, [
        { field: 'userId', message: `Choose who receives the concern: an active user who is ${roleName}` },
      ]);
    return user;
  }

  /** One escalation, with everyone its concern went to; not found for anyone but its recipient and admins. */
  async function detail(id: number, user: User, actor: Actor) {
    const escalation = await visible(ex, id, user);
    await activityLog.recordView(actor, 'escalation', id);
    return {
      escalation,
      concernRecipients: await escalationRepository.listForConcern(ex, escalation.concernId),
      mayAcknowledge: escalation.recipient?.id === user.id && !escalation.acknowledged,
      mayRoute: isAdmin(user) && needsRecipient(escalation),
      mayReadAudit: auditAccess(user, escalation).readSubmitted,
    };
  }

  return {
    /**
     * Sends a new concern to the case's team managers and head of service, inside the transaction that
     * records it. A role nobody holds (for a restricted case: nobody granted it) gets an escalation to
     * nobody, which goes on Needs attention.
     */
    async escalate(
      tx: Executor,
      concernId: number,
      audit: { teamId: number } & RestrictableCase,
    ): Promise<EscalationOutcome> {
      const { teamId } = audit;
      const found = await escalationRepository.recipientsFor(
        tx,
        teamId,
        audit.restricted ? audit.caseRef : undefined,
      );
      const place = {
        ...((await escalationRepository.teamNames(tx, teamId)) ?? {
          teamName: 'the team',
          serviceAreaName: null,
        }),
        restricted: audit.restricted,
      };
      const missing = RECIPIENT_ROLES.filter((role) => !found.some((r) => r.role === role));
      const ids = await escalationRepository.insert(tx, concernId, [
        ...found,
        ...missing.map((role) => ({ role, userId: null })),
      ]);
      // Always at once, whatever the recipient chose for other notifications.
      await notify(
        tx,
        found.map((r, i) => ({
          kind: 'safeguarding.concern' as const,
          recipientUserIds: [r.userId],
          message: safeguardingConcern({ teamName: place.teamName, role: r.role }),
          path: `/escalations/${ids[i]}`,
          record: { type: 'escalation', id: ids[i] as number },
          urgent: true,
        })),
      );
      return {
        concernId,
        recipients: found.map((r) => ({ ...r, description: roleFor(r.role, place) })),
        unrouted: missing.map((role, i) => ({
          role,
          escalationId: ids[found.length + i] as number,
          reason: nobodySentence(role, place),
        })),
        message: outcomeMessage(place, found, missing),
      };
    },

    /**
     * The escalations sent to the user (and, for administrators, all of them). With an actor the list is
     * being shown, so the view of case-level data is recorded; the home page counts it without one.
     */
    async inbox(user: User, actor?: Actor): Promise<Inbox> {
      const mine = (await escalationRepository.listForRecipient(ex, user.id)).filter((e) =>
        visibleTo(e, user),
      );
      const inbox: Inbox = {
        toAcknowledge: mine.filter((e) => !e.acknowledged),
        acknowledged: mine.filter((e) => e.acknowledged),
        ...(isAdmin(user) ? { all: await escalationRepository.listAll(ex) } : {}),
      };
      if (actor && (mine.length > 0 || (inbox.all?.length ?? 0) > 0))
        await activityLog.recordView(actor, 'escalation_list', user.id);
      return inbox;
    },

    /** Escalations that reach nobody, for administrators; recorded as a view when shown (with an actor). */
    async needsAttention(user: User, actor?: Actor): Promise<Escalation[]> {
      requireAdmin(user);
      const list = await escalationRepository.listNeedingRecipient(ex);
      if (actor && list.length > 0) await activityLog.recordView(actor, 'escalation_list', 'needs-attention');
      return list;
    },

    get: detail,

    /**
     * "I have seen this", by the recipient. Repeating it changes nothing and answers with the first
     * acknowledgement; administrators, who may read it, are refused.
     */
    async acknowledge(id: number, user: User, actor: Actor): Promise<Escalation> {
      return db.transaction(async (tx) => {
        const escalation = await visible(tx, id, user, true);
        if (escalation.recipient?.id !== user.id)
          throw new ForbiddenError('Only the person this concern was sent to can acknowledge it.');
        if (escalation.acknowledged) return escalation;
        await escalationRepository.acknowledge(tx, id, user.id);
        const after = (await escalationRepository.find(tx, id)) as Escalation;
        await activityLog.record(tx, actor, {
          action: 'escalation.acknowledge',
          recordType: 'escalation',
          recordId: id,
          summary: { after: { acknowledgedAt: after.acknowledged?.at, concernId: escalation.concernId } },
        });
        return after;
      });
    },

    /** The escalation and the users who may receive it: those holding its role, the case's own first. */
    async recipientChoices(id: number, user: User, actor: Actor) {
      requireAdmin(user);
      const { escalation } = await detail(id, user, actor);
      const holders = await users.listWithRole(escalation.role);
      const serves = (u: User) =>
        escalation.role === 'team_manager'
          ? u.managedTeamIds.includes(escalation.teamId)
          : u.serviceAreaTeamIds.includes(escalation.teamId);
      return {
        escalation,
        routable: needsRecipient(escalation),
        reason: nobodySentence(escalation.role, escalation),
        candidates: [...holders.filter(serves), ...holders.filter((u) => !serves(u))].map((u) => ({
          id: u.id,
          name: u.displayName,
          servesCase: serves(u),
        })),
      };
    },

    /**
     * An administrator chooses who receives an escalation that reaches nobody; it then appears in their
     * inbox. Choosing the same person again changes nothing; choosing after someone else did is refused.
     */
    async route(id: number, input: { userId: unknown }, user: User, actor: Actor): Promise<Escalation> {
      requireAdmin(user);
      return db.transaction(async (tx) => {
        const escalation = await visible(tx, id, user, true);
        const chosen = await chosenRecipient(input.userId, escalation.role);
        if (!maySeeRestricted(chosen, escalation))
          throw new ValidationError('The case is restricted and they have not been granted it.', [
            {
              field: 'userId',
              message: `${chosen.displayName} has not been granted this restricted case: grant it to them first, or choose someone who has been`,
            },
          ]);
        if (!needsRecipient(escalation)) {
          if (escalation.recipient?.id === chosen.id) return escalation;
          throw new ConflictError(
            `This concern has already been sent to ${escalation.recipient?.name ?? 'someone else'}.`,
          );
        }
        await escalationRepository.route(tx, id, chosen.id, actor.userId);
        await activityLog.record(tx, actor, {
          action: 'escalation.route',
          recordType: 'escalation',
          recordId: id,
          summary: {
            before: { recipientUserId: escalation.recipient?.id ?? null },
            after: { recipientUserId: chosen.id, role: escalation.role, concernId: escalation.concernId },
          },
        });
        return (await escalationRepository.find(tx, id)) as Escalation;
      });
    },
  };
}
