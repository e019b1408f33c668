import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR, type Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Database, Executor } from '../db/transaction';
import { NotFoundError } from '../errors';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import type { User } from '../users/user';
import type { Mailer } from './mailer';
import { digest, withLink, type Notice } from './messages';
import { notificationRepository as repo, type NewNotification, type Notification } from './repository';

export type NotificationsService = ReturnType<typeof createNotificationsService>;

/** A job's data: the notification to send. */
export interface SendJob {
  notificationId: number;
}

/** Where the service is reached, for links in emails and the domain of Message-IDs. */
export interface Addressing {
  publicUrl: string;
}

/** Why a send failed, without the addresses a mail server's reply may quote. */
function failureOf(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
  const parts = [e.code, e.responseCode].filter((p) => typeof p === 'string' || typeof p === 'number');
  const message =
    typeof e.message === 'string' ? e.message.replace(/<?[^\s<>@]+@[^\s<>]+>?/g, '<address>') : '';
  return [parts.join(' '), message].filter(Boolean).join(': ') || 'the mail server refused the message';
}

/**
 * Notifications: written in the transaction of the event they tell of (so they exist exactly when it
 * committed), each with its Message-ID fixed there and then; sent after commit by a job from the queue,
 * with retries. A crash after the mail server accepted a message and before it was marked sent makes the job
 * run again: the message is sent again with the same Message-ID (mail clients show it once), never lost.
 * Recipients who chose a daily digest get their non-urgent notifications in one email a working day.
 */
export function createNotificationsService(
  db: Database,
  activityLog: ActivityLog,
  jobs: Pick<JobQueue, 'enqueueAll'>,
  addressing: Addressing,
) {
  const ex = db.executor;
  const base = new URL(addressing.publicUrl);
  const link = (path: string) => new URL(path, base).toString();
  const settingsLink = link('/account/notifications');
  const newMessageId = () => `<${randomUUID()}@${base.hostname || 'case-audit'}>`;

  async function enqueue(tx: Executor, rows: readonly NewNotification[]): Promise<number> {
    const inserted = await repo.insertAll(tx, rows);
    await jobs.enqueueAll(
      tx,
      'notification-send',
      inserted.filter((n) => n.immediate).map((n): SendJob => ({ notificationId: n.id })),
    );
    return inserted.length;
  }

  /** Logs, in the transaction that marks them sent, that these notifications went to their recipients. */
  async function recordSent(tx: Executor, sent: readonly Notification[], transport: string, via?: string) {
    await activityLog.recordAll(
      tx,
      SYSTEM_ACTOR,
      sent
        .filter((n) => n.recordType !== null)
        .map((n) => ({
          action: 'notification.send' as const,
          recordType: n.recordType as string,
          recordId: n.recordId,
          summary: { after: { kind: n.kind, to: n.recipientName, transport, ...(via ? { via } : {}) } },
        })),
    );
  }

  return {
    /**
     * Writes the notices for their recipients (active users only), in the caller's transaction, and puts
     * those to send at once on the queue in it. Returns how many notifications were written.
     */
    notify: async (tx: Executor, notices: readonly Notice[]): Promise<number> => {
      const addressees = new Map(
        (
          await repo.addressees(
            tx,
            notices.flatMap((n) => n.recipientUserIds),
          )
        ).map((a) => [a.userId, a]),
      );
      const rows = notices.flatMap((notice) =>
        [...new Set(notice.recipientUserIds)].flatMap((userId): NewNotification[] => {
          const to = addressees.get(userId);
          if (!to) return [];
          return [
            {
              messageId: newMessageId(),
              kind: notice.kind,
              recipientUserId: userId,
              toAddress: to.email,
              subject: notice.message.subject,
              body: withLink(notice.message.body, link(notice.path), settingsLink),
              recordType: notice.record.type,
              recordId: notice.record.id,
              immediate: notice.urgent === true || !to.dailyDigest,
            },
          ];
        }),
      );
      return enqueue(tx, rows);
    },

    /**
     * Sends one notification (the send job): nothing if it has been sent already. The attempt is counted
     * before sending and the message marked sent after, each committed on its own: a crash in between
     * leaves it unsent, and the job's retry sends it again with the same Message-ID.
     */
    async deliver(id: number, mailer: Mailer, logger: Logger): Promise<void> {
      const notification = await repo.find(ex, id);
      if (!notification || notification.sentAt) return;
      await repo.startAttempt(ex, id);
      try {
        await mailer.send({
          messageId: notification.messageId,
          to: notification.toAddress,
          subject: notification.subject,
          text: notification.body,
        });
      } catch (err) {
        const failure = failureOf(err);
        await repo.recordFailure(ex, id, failure);
        logger.warn(
          { notificationId: id, attempt: notification.attempts + 1, failure },
          'notification not sent',
        );
        throw err;
      }
      await db.transaction(async (tx) => {
        const sent = await repo.markSent(tx, id, mailer.transport);
        const inDigest = sent.filter((n) => n.id !== id);
        await recordSent(
          tx,
          inDigest.length > 0 ? inDigest : sent,
          mailer.transport,
          inDigest.length > 0 ? 'digest' : undefined,
        );
      });
    },

    /**
     * The daily digests: for each user with notifications waiting, one email listing them, written and
     * queued in a transaction that claims them (a digest run at the same time on another server skips
     * them). Returns how many digests were written.
     */
    async writeDigests(): Promise<number> {
      let written = 0;
      for (const userId of await repo.waitingForDigest(ex)) {
        written += await db.transaction(async (tx) => {
          const items = await repo.claimForDigest(tx, userId);
          const first = items[0];
          if (!first) return 0;
          const message = digest(
            items.map((n) => ({
              subject: n.subject,
              link: link(n.recordType === 'remediation' ? `/remediations/${n.recordId}` : '/'),
              createdAt: n.createdAt,
            })),
          );
          const digestRow: NewNotification = {
            messageId: newMessageId(),
            kind: 'digest',
            recipientUserId: userId,
            toAddress: first.toAddress,
            subject: message.subject,
            body: withLink(message.body, link('/actions'), settingsLink, true),
            recordType: null,
            recordId: null,
            immediate: true,
          };
          const [inserted] = await repo.insertAll(tx, [digestRow]);
          if (!inserted) return 0;
          await repo.setDigest(
            tx,
            items.map((n) => n.id),
            inserted.id,
          );
          await jobs.enqueueAll(tx, 'notification-send', [{ notificationId: inserted.id } satisfies SendJob]);
          return 1;
        });
      }
      return written;
    },

    /** The outbox: the newest notifications, sent or not, for administrators. */
    async outbox(limit = 200) {
      const [notifications, counts] = await Promise.all([repo.list(ex, limit), repo.counts(ex)]);
      return { notifications, counts };
    },

    async message(id: number): Promise<Notification> {
      const found = await repo.find(ex, id);
      if (!found) throw new NotFoundError(`There is no notification ${id}.`);
      return found;
    },

    /** What was sent about a record, for its timeline. */
    forRecord: (recordType: string, recordId: number) => repo.forRecord(ex, recordType, recordId),

    dailyDigest: (user: User) => repo.dailyDigest(ex, user.id),

    async setDailyDigest(user: User, dailyDigest: boolean, actor: Actor): Promise<void> {
      await db.transaction(async (tx) => {
        await repo.setDailyDigest(tx, user.id, dailyDigest);
        await activityLog.record(tx, actor, {
          action: 'notification_preference.change',
          recordType: 'app_user',
          recordId: user.id,
          summary: { after: { dailyDigest } },
        });
      });
    },
  };
}
