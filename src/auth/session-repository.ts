import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

const TABLE = 'session';

export const sessionRepository = {
  async find(ex: Executor, sid: string): Promise<unknown> {
    const row = await knexOf(ex)(TABLE)
      .where({ sid })
      .where('expires_at', '>', knexOf(ex).fn.now())
      .first<{ sess: unknown } | undefined>('sess');
    return row?.sess;
  },

  async save(
    ex: Executor,
    sid: string,
    sess: unknown,
    expiresAt: Date,
    userId: number | null,
  ): Promise<void> {
    await knexOf(ex)(TABLE)
      .insert({ sid, sess: JSON.stringify(sess), expires_at: expiresAt, user_id: userId })
      .onConflict('sid')
      .merge(['sess', 'expires_at', 'user_id']);
  },

  async touch(ex: Executor, sid: string, expiresAt: Date): Promise<void> {
    await knexOf(ex)(TABLE).where({ sid }).update({ expires_at: expiresAt });
  },

  async destroy(ex: Executor, sid: string): Promise<void> {
    await knexOf(ex)(TABLE).where({ sid }).delete();
  },

  async destroyForUser(ex: Executor, userId: number): Promise<number> {
    return knexOf(ex)(TABLE).where({ user_id: userId }).delete();
  },

  /**
   * Deletes the sessions a single sign-on began for this NameID (from the session's `saml` record), only
   * those of these SessionIndexes when any are given; gives each one's id and user.
   */
  async destroyForSingleSignOn(
    ex: Executor,
    nameId: string,
    sessionIndexes: readonly string[],
  ): Promise<{ sid: string; userId: number | null }[]> {
    const k = knexOf(ex);
    const query = k(TABLE).whereRaw("sess->'saml'->>'nameId' = ?", [nameId]);
    if (sessionIndexes.length > 0)
      query.whereRaw("sess->'saml'->>'sessionIndex' = any(?::text[])", [[...sessionIndexes]]);
    const rows = await query
      .delete()
      .returning<{ sid: string; user_id: number | null }[]>(['sid', 'user_id']);
    return rows.map((row) => ({ sid: row.sid, userId: row.user_id }));
  },

  async pruneExpired(ex: Executor): Promise<number> {
    return knexOf(ex)(TABLE).where('expires_at', '<=', knexOf(ex).fn.now()).delete();
  },
};
