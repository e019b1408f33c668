import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';
import type { Actor } from './actor';

const TABLE = 'audit_event';

/** Structured before/after values only: never free-text case content. */
export type Summary = Record<string, unknown>;

export interface NewAuditEvent {
  action: string;
  recordType: string;
  recordId?: string | number | null;
  summary?: Summary;
}

export interface AuditEvent {
  id: number;
  occurredAt: Date;
  actorKind: Actor['kind'];
  actorUserId: number | null;
  actorName: string | null;
  actorTokenId: number | null;
  action: string;
  recordType: string;
  recordId: string | null;
  requestId: string | null;
  summary: Summary;
}

interface AuditEventRow {
  id: number;
  occurred_at: Date;
  actor_kind: Actor['kind'];
  actor_user_id: number | null;
  actor_name: string | null;
  actor_token_id: number | null;
  action: string;
  record_type: string;
  record_id: string | null;
  request_id: string | null;
  summary: Summary;
}

function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    actorKind: row.actor_kind,
    actorUserId: row.actor_user_id,
    actorName: row.actor_name,
    actorTokenId: row.actor_token_id,
    action: row.action,
    recordType: row.record_type,
    recordId: row.record_id,
    requestId: row.request_id,
    summary: row.summary,
  };
}

export interface AuditEventFilter {
  action?: string;
  recordType?: string;
  recordId?: string;
  userId?: number;
  /** Days in the UK (YYYY-MM-DD), both included. */
  fromDate?: string;
  toDate?: string;
  limit: number;
  offset: number;
}

function rowOf(actor: Actor, event: NewAuditEvent) {
  return {
    actor_kind: actor.kind,
    actor_user_id: actor.userId,
    actor_token_id: actor.tokenId,
    request_id: actor.requestId,
    action: event.action,
    record_type: event.recordType,
    record_id: event.recordId === undefined || event.recordId === null ? null : String(event.recordId),
    summary: event.summary ?? {},
  };
}

/** Each column's type, for an event inserted by SELECT (whose parameters have no column to take it from). */
const COLUMN_TYPES: readonly (readonly [keyof ReturnType<typeof rowOf>, string])[] = [
  ['actor_kind', 'text'],
  ['actor_user_id', 'integer'],
  ['actor_token_id', 'integer'],
  ['request_id', 'text'],
  ['action', 'text'],
  ['record_type', 'text'],
  ['record_id', 'text'],
  ['summary', 'jsonb'],
];

/** SQL with knex's `?` placeholders, and its values. */
export interface SqlPart {
  sql: string;
  bindings: (string | number | null)[];
}

export const auditEventRepository = {
  /**
   * The insert of an event as part of a statement that makes the change itself: one row per row of
   * `source` (a CTE of that statement, returning one row if the change was made and none if not).
   */
  insertFrom(source: string, actor: Actor, event: NewAuditEvent): SqlPart {
    const row = rowOf(actor, event);
    return {
      sql: `insert into ${TABLE} (${COLUMN_TYPES.map(([c]) => c).join(', ')}) select ${COLUMN_TYPES.map(
        ([, type]) => `?::${type}`,
      ).join(', ')} from ${source}`,
      bindings: COLUMN_TYPES.map(([c]) => (c === 'summary' ? JSON.stringify(row.summary) : (row[c] ?? null))),
    };
  },

  async insert(ex: Executor, actor: Actor, event: NewAuditEvent): Promise<void> {
    await knexOf(ex)(TABLE).insert(rowOf(actor, event));
  },

  /** Several events by the same actor, in one statement. */
  async insertAll(ex: Executor, actor: Actor, events: readonly NewAuditEvent[]): Promise<void> {
    if (events.length > 0) await knexOf(ex)(TABLE).insert(events.map((event) => rowOf(actor, event)));
  },

  async list(ex: Executor, filter: AuditEventFilter): Promise<{ events: AuditEvent[]; total: number }> {
    const query = knexOf(ex)(`${TABLE} as e`).leftJoin('app_user as u', 'u.id', 'e.actor_user_id');
    if (filter.action) query.where('e.action', filter.action);
    if (filter.recordType) query.where('e.record_type', filter.recordType);
    if (filter.recordId) query.where('e.record_id', filter.recordId);
    if (filter.userId) query.where('e.actor_user_id', filter.userId);
    if (filter.fromDate)
      query.whereRaw(`e.occurred_at >= (?::date)::timestamp at time zone 'Europe/London'`, [filter.fromDate]);
    if (filter.toDate)
      query.whereRaw(`e.occurred_at < (?::date + 1)::timestamp at time zone 'Europe/London'`, [
        filter.toDate,
      ]);
    const [rows, count] = await Promise.all([
      query
        .clone()
        .select<AuditEventRow[]>('e.*', 'u.display_name as actor_name')
        .orderBy('e.id', 'desc')
        .limit(filter.limit)
        .offset(filter.offset),
      query.clone().count<{ count: number }[]>('* as count').first(),
    ]);
    return { events: rows.map(toAuditEvent), total: count?.count ?? 0 };
  },

  /** The changes (never views) to these records, oldest first: each record by type, id and the actions wanted. */
  async changesTo(
    ex: Executor,
    records: readonly { recordType: string; recordIds: readonly string[]; actions?: readonly string[] }[],
  ): Promise<AuditEvent[]> {
    const query = knexOf(ex)(`${TABLE} as e`)
      .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
      .whereNot('e.action', 'like', '%.view')
      .where((any) => {
        for (const { recordType, recordIds, actions } of records)
          void any.orWhere((one) => {
            void one.where('e.record_type', recordType).whereIn('e.record_id', recordIds);
            if (actions) void one.whereIn('e.action', actions);
          });
      })
      .select<AuditEventRow[]>('e.*', 'u.display_name as actor_name')
      .orderBy('e.id')
      .limit(500);
    return (await query).map(toAuditEvent);
  },

  async actions(ex: Executor): Promise<string[]> {
    const rows = await knexOf(ex)(TABLE).distinct<{ action: string }[]>('action').orderBy('action');
    return rows.map((row) => row.action);
  },
};
