import type { Knex } from 'knex';

/** An audit-log entry as tests compare them: what was done, by whom, to what. */
export interface LoggedEvent {
  action: string;
  actorKind: string;
  actorUserId: number | null;
  recordType: string;
  recordId: string | null;
  requestId: string | null;
  summary: Record<string, unknown>;
}

/** The newest audit-log entry's id: entries written after it are those `eventsSince` returns. */
export async function eventMark(knex: Knex): Promise<number> {
  const row = await knex('audit_event').max<{ max: string | number | null }>('id as max').first();
  return Number(row?.max ?? 0);
}

/**
 * The audit-log entries written since `mark`, oldest first, of one action (or of every action), so a test
 * can say exactly which entries one request wrote: `toEqual([...])` fails on none as on two.
 */
export async function eventsSince(knex: Knex, mark: number, action?: string): Promise<LoggedEvent[]> {
  const rows = await knex('audit_event')
    .where('id', '>', mark)
    .modify((q) => {
      if (action) void q.where({ action });
    })
    .orderBy('id')
    .select<
      {
        action: string;
        actor_kind: string;
        actor_user_id: number | null;
        record_type: string;
        record_id: string | null;
        request_id: string | null;
        summary: Record<string, unknown>;
      }[]
    >('action', 'actor_kind', 'actor_user_id', 'record_type', 'record_id', 'request_id', 'summary');
  return rows.map((r) => ({
    action: r.action,
    actorKind: r.actor_kind,
    actorUserId: r.actor_user_id === null ? null : Number(r.actor_user_id),
    recordType: r.record_type,
    recordId: r.record_id,
    requestId: r.request_id,
    summary: r.summary,
  }));
}
