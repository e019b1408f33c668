import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

export type Transport = 'smtp' | 'outbox';

export interface NewNotification {
  messageId: string;
  kind: string;
  recipientUserId: number;
  toAddress: string;
  subject: string;
  body: string;
  recordType: string | null;
  recordId: number | null;
  immediate: boolean;
}

export interface Notification extends NewNotification {
  id: number;
  recipientName: string;
  digestId: number | null;
  createdAt: Date;
  sentAt: Date | null;
  transport: Transport | null;
  attempts: number;
  lastError: string | null;
}

/** Who a notification can go to: an active user, with their address and whether they want a digest. */
export interface Addressee {
  userId: number;
  email: string;
  dailyDigest: boolean;
}

const COLUMNS = [
  'n.id',
  'n.message_id as messageId',
  'n.kind',
  'n.recipient_user_id as recipientUserId',
  'u.display_name as recipientName',
  'n.to_address as toAddress',
  'n.subject',
  'n.body',
  'n.record_type as recordType',
  'n.record_id as recordId',
  'n.immediate',
  'n.digest_id as digestId',
  'n.created_at as createdAt',
  'n.sent_at as sentAt',
  'n.transport',
  'n.attempts',
  'n.last_error as lastError',
];

const select = (ex: Executor) =>
  knexOf(ex)('notification as n').join('app_user as u', 'u.id', 'n.recipient_user_id').select(COLUMNS);

export const notificationRepository = {
  /** The active users among `userIds`, with their addresses and digest choice. */
  async addressees(ex: Executor, userIds: readonly number[]): Promise<Addressee[]> {
    if (userIds.length === 0) return [];
    return knexOf(ex)('app_user as u')
      .leftJoin('notification_preference as p', 'p.user_id', 'u.id')
      .whereIn('u.id', [...new Set(userIds)])
      .where('u.active', true)
      .select('u.id as userId', 'u.email', knexOf(ex).raw('coalesce(p.daily_digest, false) as "dailyDigest"'))
      .orderBy('u.id');
  },

  async insertAll(
    ex: Executor,
    rows: readonly NewNotification[],
  ): Promise<{ id: number; immediate: boolean }[]> {
    if (rows.length === 0) return [];
    return knexOf(ex)('notification')
      .insert(
        rows.map((r) => ({
          message_id: r.messageId,
          kind: r.kind,
          recipient_user_id: r.recipientUserId,
          to_address: r.toAddress,
          subject: r.subject,
          body: r.body,
          record_type: r.recordType,
          record_id: r.recordId,
          immediate: r.immediate,
        })),
      )
      .returning(['id', 'immediate']);
  },

  async find(ex: Executor, id: number): Promise<Notification | undefined> {
    return select(ex).where('n.id', id).first<Notification | undefined>();
  },

  /** The newest first. */
  async list(ex: Executor, limit: number): Promise<Notification[]> {
    return select(ex).orderBy('n.id', 'desc').limit(limit);
  },

  /** Notifications about one record, oldest first. */
  async forRecord(ex: Executor, recordType: string, recordId: number): Promise<Notification[]> {
    return select(ex).where({ 'n.record_type': recordType, 'n.record_id': recordId }).orderBy('n.id');
  },

  async counts(ex: Executor): Promise<{ waiting: number; failing: number }> {
    const row = await knexOf(ex)('notification')
      .whereNull('sent_at')
      .select(
        knexOf(ex).raw('count(*) filter (where immediate or digest_id is not null)::int as waiting'),
        knexOf(ex).raw('count(*) filter (where last_error is not null)::int as failing'),
      )
      .first<{ waiting: number; failing: number } | undefined>();
    return { waiting: row?.waiting ?? 0, failing: row?.failing ?? 0 };
  },

  async startAttempt(ex: Executor, id: number): Promise<void> {
    await knexOf(ex)('notification').where({ id }).increment('attempts', 1);
  },

  /** Marks the notification sent, with those that went out in it (a digest's): returns what it marked. */
  async markSent(ex: Executor, id: number, transport: Transport): Promise<Notification[]> {
    const marked: { id: number }[] = await knexOf(ex)('notification')
      .where((q) => void q.where({ id }).orWhere({ digest_id: id }))
      .whereNull('sent_at')
      .update({ sent_at: knexOf(ex).fn.now(), transport, last_error: null })
      .returning('id');
    if (marked.length === 0) return [];
    return select(ex)
      .whereIn(
        'n.id',
        marked.map((m) => m.id),
      )
      .orderBy('n.id');
  },

  async recordFailure(ex: Executor, id: number, error: string): Promise<void> {
    await knexOf(ex)('notification')
      .where({ id })
      .update({ last_error: error.slice(0, 500) });
  },

  /** Users with notifications waiting for their digest. */
  async waitingForDigest(ex: Executor): Promise<number[]> {
    const rows = await knexOf(ex)('notification')
      .where({ immediate: false })
      .whereNull('digest_id')
      .distinct('recipient_user_id as userId')
      .orderBy('userId');
    return rows.map((r: { userId: number }) => r.userId);
  },

  /** A user's notifications waiting for their digest, locked (a digest sent at the same time skips them). */
  async claimForDigest(ex: Executor, userId: number): Promise<Notification[]> {
    return select(ex)
      .where({ 'n.recipient_user_id': userId, 'n.immediate': false })
      .whereNull('n.digest_id')
      .orderBy('n.id')
      .forUpdate('n')
      .skipLocked();
  },

  async setDigest(ex: Executor, ids: readonly number[], digestId: number): Promise<void> {
    await knexOf(ex)('notification').whereIn('id', ids).update({ digest_id: digestId });
  },

  async dailyDigest(ex: Executor, userId: number): Promise<boolean> {
    const row = await knexOf(ex)('notification_preference')
      .where({ user_id: userId })
      .first<{ daily_digest: boolean } | undefined>('daily_digest');
    return row?.daily_digest === true;
  },

  async setDailyDigest(ex: Executor, userId: number, dailyDigest: boolean): Promise<void> {
    await knexOf(ex)('notification_preference')
      .insert({ user_id: userId, daily_digest: dailyDigest, updated_at: knexOf(ex).fn.now() })
      .onConflict('user_id')
      .merge();
  },
};
