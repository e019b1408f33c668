import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';
import { translating } from '../db/errors';

const TABLE = 'idempotency_key';

export interface StoredChange {
  fingerprint: string;
  result: unknown;
}

export const idempotencyRepository = {
  async find(ex: Executor, userId: number, key: string): Promise<StoredChange | undefined> {
    const row: { fingerprint: string; result: unknown } | undefined = await knexOf(ex)(TABLE)
      .where({ user_id: userId, key })
      .first('fingerprint', 'result');
    return row;
  },

  /**
   * Holds the key until the transaction ends: a second request with it waits here, then finds the first
   * one's record (or none, when the first one did not commit).
   */
  async lock(ex: Executor, userId: number, key: string): Promise<void> {
    await knexOf(ex).raw('select pg_advisory_xact_lock(?, hashtext(?))', [userId, key]);
  },

  /** Records the change; a second request with the key, committing at the same time, is refused. */
  async insert(
    ex: Executor,
    change: { userId: number; key: string; fingerprint: string; result: unknown },
  ): Promise<void> {
    await translating(
      knexOf(ex)(TABLE).insert({
        user_id: change.userId,
        key: change.key,
        fingerprint: change.fingerprint,
        result: JSON.stringify(change.result ?? null),
      }),
      {
        idempotency_key_pkey: {
          field: 'Idempotency-Key',
          message:
            'Another request with this Idempotency-Key is being processed or has just finished: send it again to get its result.',
        },
      },
    );
  },

  /** Forgets keys older than `hours`: a retry comes within minutes, not days. */
  async pruneOlderThan(ex: Executor, hours: number): Promise<number> {
    return knexOf(ex)(TABLE)
      .where('created_at', '<', knexOf(ex).raw(`now() - make_interval(hours => ?)`, [hours]))
      .delete();
  },
};
