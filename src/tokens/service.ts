import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { IdentityCache } from '../auth/identity-cache';
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

/** A usable token as cached: whom it acts as, when it expires, and when its use was last recorded. */
interface UsableToken {
  user: User;
  tokenId: number;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export function createTokensService(db: Database, activityLog: ActivityLog, identities: IdentityCache) {
  const usable = (tokenHash: string) =>
    identities.through<UsableToken>(`token:${tokenHash}`, async () => {
      const record = await apiTokenRepository.findUsable(db.executor, tokenHash);
      if (!record) return undefined;
      const user = await usersReadModel.findById(db.executor, record.userId);
      if (!user) return undefined;
      return { user, tokenId: record.id, expiresAt: record.expiresAt, lastUsedAt: record.lastUsedAt };
    });

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
      const found = await usable(hashToken(token));
      if (!found || (found.expiresAt && found.expiresAt.getTime() <= Date.now())) return undefined;
      // Last use is kept to the minute: no write on every request.
      if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > 60_000) {
        await apiTokenRepository.touch(db.executor, found.tokenId);
        found.lastUsedAt = new Date();
      }
      // A copy: the cached user is shared by every request the token makes.
      return { user: structuredClone(found.user), tokenId: found.tokenId };
    },
  };
}
