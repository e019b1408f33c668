import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

const TABLE = 'api_token';

export interface ApiToken {
  id: number;
  userId: number;
  userEmail: string;
  name: string;
  tokenPrefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface ApiTokenRow {
  id: number;
  user_id: number;
  user_email: string;
  name: string;
  token_prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    userEmail: row.user_email,
    name: row.name,
    tokenPrefix: row.token_prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function selectTokens(ex: Executor) {
  return knexOf(ex)(`${TABLE} as t`)
    .join('app_user as u', 'u.id', 't.user_id')
    .select<ApiTokenRow[]>('t.*', 'u.email as user_email');
}

export const apiTokenRepository = {
  async insert(
    ex: Executor,
    token: { userId: number; name: string; tokenHash: string; tokenPrefix: string; expiresAt: Date | null },
  ): Promise<number> {
    const [row] = await knexOf(ex)(TABLE)
      .insert({
        user_id: token.userId,
        name: token.name,
        token_hash: token.tokenHash,
        token_prefix: token.tokenPrefix,
        expires_at: token.expiresAt,
      })
      .returning<{ id: number }[]>('id');
    if (!row) throw new Error('insert returned no id');
    return row.id;
  },

  /** The token with this hash if it still works: not revoked, not expired, and its user active. */
  async findUsable(ex: Executor, tokenHash: string): Promise<ApiToken | undefined> {
    const row = await selectTokens(ex)
      .where('t.token_hash', tokenHash)
      .whereNull('t.revoked_at')
      .whereRaw('(t.expires_at is null or t.expires_at > now())')
      .where('u.active', true)
      .first();
    return row && toApiToken(row);
  },

  async findById(ex: Executor, id: number): Promise<ApiToken | undefined> {
    const row = await selectTokens(ex).where('t.id', id).first();
    return row && toApiToken(row);
  },

  async list(ex: Executor, userId?: number): Promise<ApiToken[]> {
    const query = selectTokens(ex).orderBy('t.id');
    if (userId !== undefined) query.where('t.user_id', userId);
    return (await query).map(toApiToken);
  },

  async revoke(ex: Executor, id: number): Promise<void> {
    await knexOf(ex)(TABLE)
      .where({ id })
      .whereNull('revoked_at')
      .update({ revoked_at: knexOf(ex).fn.now() });
  },

  /** Revokes every token of a user that still works (when they are deactivated); returns how many. */
  async revokeAllForUser(ex: Executor, userId: number): Promise<number> {
    return knexOf(ex)(TABLE)
      .where({ user_id: userId })
      .whereNull('revoked_at')
      .whereRaw('(expires_at is null or expires_at > now())')
      .update({ revoked_at: knexOf(ex).fn.now() });
  },

  /** Records use at most once a minute per token, so busy API clients do not write on every request. */
  async touch(ex: Executor, id: number): Promise<void> {
    await knexOf(ex)(TABLE)
      .where({ id })
      .whereRaw("(last_used_at is null or last_used_at < now() - interval '1 minute')")
      .update({ last_used_at: knexOf(ex).fn.now() });
  },
};
