import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Database } from '../db/transaction';
import { NotFoundError, ValidationError } from '../errors';
import { usersReadModel } from '../users/read-model';
import type { User } from '../users/user';
import { parseDuration } from './duration';
import { apiTokenRepository, type ApiToken } from './repository';

const TOKEN_PREFIX = 'cat_';
const TOKEN_FORMAT = /^cat_[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface CreateTokenInput {
  email: string;
  name?: string;
  /** A lifetime such as `30d`; no expiry when absent. */
  expires?: string;
}

export type TokensService = ReturnType<typeof createTokensService>;

export function createTokensService(db: Database, activityLog: ActivityLog) {
  return {
    /** Creates a token and returns it: the only time it is ever available in full. */
    async create(
      input: CreateTokenInput,
      actor: Actor,
      now = new Date(),
    ): Promise<{ token: string; record: ApiToken }> {
      let expiresAt: Date | null = null;
      if (input.expires !== undefined) {
        const ms = parseDuration(input.expires);
        if (ms === undefined) {
          throw new ValidationError('The expiry is not valid.', [
            {
              field: 'expires',
              message: 'must be a number and a unit: m (minutes), h, d or w, for example 30d',
            },
          ]);
        }
        expiresAt = new Date(now.getTime() + ms);
      }
      return db.transaction(async (tx) => {
        const user = await usersReadModel.findByEmail(tx, input.email);
        if (!user) throw new NotFoundError(`There is no user with the email ${input.email}.`);
        if (!user.active)
          throw new ValidationError(`${input.email} is deactivated; tokens cannot be created for them.`);
        const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
        const id = await apiTokenRepository.insert(tx, {
          userId: user.id,
          name: input.name ?? 'API token',
          tokenHash: hashToken(token),
          tokenPrefix: token.slice(0, 12),
          expiresAt,
        });
        await activityLog.record(tx, actor, {
          action: 'api_token.create',
          recordType: 'api_token',
          recordId: id,
          summary: { after: { userId: user.id, expiresAt } },
        });
        const record = await apiTokenRepository.findById(tx, id);
        if (!record) throw new NotFoundError();
        return { token, record };
      });
    },

    list: (userId?: number) => apiTokenRepository.list(db.executor, userId),

    async revoke(id: number, actor: Actor): Promise<ApiToken> {
      return db.transaction(async (tx) => {
        const before = await apiTokenRepository.findById(tx, id);
        if (!before) throw new NotFoundError(`There is no API token with id ${id}.`);
        await apiTokenRepository.revoke(tx, id);
        await activityLog.record(tx, actor, {
          action: 'api_token.revoke',
          recordType: 'api_token',
          recordId: id,
          summary: { before: { revokedAt: before.revokedAt } },
        });
        return (await apiTokenRepository.findById(tx, id)) as ApiToken;
      });
    },

    /** The user a bearer token acts as, or undefined when the token is unknown, revoked or expired. */
    async authenticate(token: string): Promise<{ user: User; tokenId: number } | undefined> {
      if (!TOKEN_FORMAT.test(token)) return undefined;
      const record = await apiTokenRepository.findUsable(db.executor, hashToken(token));
      if (!record) return undefined;
      const user = await usersReadModel.findById(db.executor, record.userId);
      if (!user) return undefined;
      // Last use is kept to the minute: no write on every request.
      if (!record.lastUsedAt || Date.now() - record.lastUsedAt.getTime() > 60_000)
        await apiTokenRepository.touch(db.executor, record.id);
      return { user, tokenId: record.id };
    },
  };
}
