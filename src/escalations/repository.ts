import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';
import type { Escalation, RecipientRole } from './types';

const TABLE = 'escalation';

interface EscalationRow {
  id: number;
  concern_id: number;
  audit_id: number;
  auditor_user_id: number | null;
  case_ref: string;
  restricted: boolean;
  team_id: number;
  team_name: string;
  service_area_name: string | null;
  recipient_role: RecipientRole;
  recipient_user_id: number | null;
  recipient_name: string | null;
  recipient_active: boolean | null;
  raised_at: Date;
  raised_by_name: string | null;
  details: string;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by_name: string | null;
  routed_at: Date | null;
  routed_by_name: string | null;
}

function toEscalation(row: EscalationRow): Escalation {
  return {
    id: row.id,
    concernId: row.concern_id,
    auditId: row.audit_id,
    auditorUserId: row.auditor_user_id,
    caseRef: row.case_ref,
    restricted: row.restricted,
    teamId: row.team_id,
    teamName: row.team_name,
    serviceAreaName: row.service_area_name,
    role: row.recipient_role,
    recipient:
      row.recipient_user_id === null
        ? null
        : {
            id: row.recipient_user_id,
            name: row.recipient_name ?? '',
            active: row.recipient_active === true,
          },
    raisedAt: row.raised_at,
    raisedByName: row.raised_by_name,
    details: row.details,
    escalatedAt: row.created_at,
    acknowledged: row.acknowledged_at ? { at: row.acknowledged_at, byName: row.acknowledged_by_name } : null,
    routed: row.routed_at ? { at: row.routed_at, byName: row.routed_by_name } : null,
  };
}

function selectEscalations(ex: Executor) {
  return knexOf(ex)(`${TABLE} as e`)
    .join('safeguarding_concern as s', 's.id', 'e.concern_id')
    .join('audit as a', 'a.id', 's.audit_id')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'c.team_id')
    .leftJoin('service_area as sa', 'sa.id', 't.service_area_id')
    .leftJoin('app_user as ru', 'ru.id', 'e.recipient_user_id')
    .leftJoin('app_user as rb', 'rb.id', 's.raised_by_user_id')
    .leftJoin('app_user as ab', 'ab.id', 'e.acknowledged_by_user_id')
    .leftJoin('app_user as ro', 'ro.id', 'e.routed_by_user_id')
    .select<EscalationRow[]>(
      'e.id',
      'e.concern_id',
      's.audit_id',
      'a.auditor_user_id',
      'c.case_ref',
      'c.restricted',
      'c.team_id',
      't.name as team_name',
      'sa.name as service_area_name',
      'e.recipient_role',
      'e.recipient_user_id',
      'ru.display_name as recipient_name',
      'ru.active as recipient_active',
      's.raised_at',
      'rb.display_name as raised_by_name',
      's.details',
      'e.created_at',
      'e.acknowledged_at',
      'ab.display_name as acknowledged_by_name',
      'e.routed_at',
      'ro.display_name as routed_by_name',
    );
}

/**
 * An escalation reaches nobody while no user was found for its role, or when the person it went to has
 * been deactivated before seeing it: either way an administrator must choose someone.
 */
const NEEDS_RECIPIENT = `(e.recipient_user_id is null or (e.acknowledged_at is null and not ru.active))`;

/** Newest first, those not yet acknowledged before the rest. */
const INBOX_ORDER = 'e.acknowledged_at is not null, s.raised_at desc, e.id desc';

export interface RecipientRow {
  role: RecipientRole;
  userId: number;
  name: string;
}

export const escalationRepository = {
  /** Who a concern about a case in this team goes to: its team managers and its service area's heads. */
  /** The team's managers and head of service; for a restricted case, only those granted it. */
  async recipientsFor(ex: Executor, teamId: number, restrictedCaseRef?: string): Promise<RecipientRow[]> {
    const granted = `(:caseRef::text is null or exists (select 1 from restricted_case_access g
                        where g.user_id = u.id and g.case_ref = :caseRef))`;
    const result = await knexOf(ex).raw<{ rows: RecipientRow[] }>(
      `select 'team_manager' as role, u.id as "userId", u.display_name as name
         from user_team ut join app_user u on u.id = ut.user_id
        where ut.team_id = :teamId and u.active and ${granted}
          and exists (select 1 from user_role r where r.user_id = u.id and r.role_code = 'team_manager')
       union all
       select 'head_of_service', u.id, u.display_name
         from team t join user_service_area us on us.service_area_id = t.service_area_id
         join app_user u on u.id = us.user_id
        where t.id = :teamId and u.active and ${granted}
          and exists (select 1 from user_role r where r.user_id = u.id and r.role_code = 'head_of_service')
       order by 1 desc, 3`,
      { teamId, caseRef: restrictedCaseRef ?? null },
    );
    return result.rows;
  },

  /** The team's name and its service area's, for saying who could not be reached. */
  async teamNames(
    ex: Executor,
    teamId: number,
  ): Promise<{ teamName: string; serviceAreaName: string | null } | undefined> {
    const row = await knexOf(ex)('team as t')
      .leftJoin('service_area as sa', 'sa.id', 't.service_area_id')
      .where('t.id', teamId)
      .first<{ teamName: string; serviceAreaName: string | null } | undefined>(
        't.name as teamName',
        'sa.name as serviceAreaName',
      );
    return row;
  },

  /** One escalation row per recipient (a null user for a role nobody holds); their ids in the same order. */
  async insert(
    ex: Executor,
    concernId: number,
    recipients: readonly { role: RecipientRole; userId: number | null }[],
  ): Promise<number[]> {
    const rows = await knexOf(ex)(TABLE)
      .insert(
        recipients.map((r) => ({
          concern_id: concernId,
          recipient_role: r.role,
          recipient_user_id: r.userId,
        })),
      )
      .returning<{ id: number }[]>('id');
    return rows.map((r) => r.id);
  },

  /** One escalation; `lock` holds it until the transaction ends, so two changes to it queue. */
  async find(ex: Executor, id: number, lock = false): Promise<Escalation | undefined> {
    const query = selectEscalations(ex).where('e.id', id);
    if (lock) query.forUpdate('e');
    const row = await query.first();
    return row && toEscalation(row);
  },

  async listForRecipient(ex: Executor, userId: number): Promise<Escalation[]> {
    const rows = await selectEscalations(ex).where('e.recipient_user_id', userId).orderByRaw(INBOX_ORDER);
    return rows.map(toEscalation);
  },

  async listAll(ex: Executor): Promise<Escalation[]> {
    const rows = await selectEscalations(ex).orderByRaw(INBOX_ORDER);
    return rows.map(toEscalation);
  },

  /** The escalations that reach nobody, waiting longest first. */
  async listNeedingRecipient(ex: Executor): Promise<Escalation[]> {
    const rows = await selectEscalations(ex).whereRaw(NEEDS_RECIPIENT).orderBy(['s.raised_at', 'e.id']);
    return rows.map(toEscalation);
  },

  /** Every escalation of a concern: who else it went to, and whether they have seen it. */
  async listForConcern(ex: Executor, concernId: number): Promise<Escalation[]> {
    const rows = await selectEscalations(ex).where('e.concern_id', concernId).orderBy('e.id');
    return rows.map(toEscalation);
  },

  /** Records the recipient's acknowledgement, once: false when it was already recorded. */
  async acknowledge(ex: Executor, id: number, userId: number): Promise<boolean> {
    const updated = await knexOf(ex)(TABLE)
      .where({ id, recipient_user_id: userId })
      .whereNull('acknowledged_at')
      .update({ acknowledged_at: knexOf(ex).fn.now(), acknowledged_by_user_id: userId });
    return updated === 1;
  },

  /** Gives an escalation that reaches nobody to a recipient chosen by an administrator. */
  async route(ex: Executor, id: number, recipientUserId: number, byUserId: number | null): Promise<boolean> {
    const updated = await knexOf(ex)(TABLE)
      .where({ id })
      .whereRaw(
        `(recipient_user_id is null or (acknowledged_at is null and not exists
            (select 1 from app_user u where u.id = recipient_user_id and u.active)))`,
      )
      .update({
        recipient_user_id: recipientUserId,
        routed_at: knexOf(ex).fn.now(),
        routed_by_user_id: byUserId,
      });
    return updated === 1;
  },
};
