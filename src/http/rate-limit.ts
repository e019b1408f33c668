import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../errors';
import { parseId } from './params';

/** How many attempts each limit allows a minute. */
export interface RateLimitSettings {
  /** Sign-in attempts from one address (the development sign-in and single sign-on). */
  signInPerAddress: number;
  /** Sign-in attempts as one account (the development sign-in's chosen user). */
  signInPerAccount: number;
  /** Refused bearer tokens from one address (a valid token costs nothing: it is never counted). */
  tokenFailuresPerAddress: number;
}

/** Where the counters live (see migrations/20261201110000_create_rate_limit.ts). */
const TABLE = 'rate_limit';

/** The requests that are sign-in attempts: the development sign-in, and single sign-on's start and answer. */
const SIGN_IN = new Set(['POST /sign-in', 'GET /auth/saml/login', 'POST /auth/saml/callback']);

function limiter(knex: Knex, keyPrefix: string, points: number): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: knex,
    storeType: 'knex',
    tableName: TABLE,
    tableCreated: true,
    // Expired counters are deleted by the server's pruner (`prune`), not by a timer of the limiter's.
    clearExpiredByTimeout: false,
    keyPrefix,
    points,
    duration: 60,
  });
}

const address = (req: Request) => req.ip ?? 'unknown';
const wait = (ms: number) => new TooManyRequestsError(Math.max(1, Math.ceil(ms / 1000)));

/**
 * The limits, shared by every app server through PostgreSQL: sign-in attempts by address and by account,
 * and refused bearer tokens by address. The address is the client's as `TRUST_PROXY` says. Over a limit
 * the answer is 429 with Retry-After.
 */
export function setUpRateLimits(knex: Knex, settings: RateLimitSettings) {
  const signInAddress = limiter(knex, 'sign-in-ip', settings.signInPerAddress);
  const signInAccount = limiter(knex, 'sign-in-account', settings.signInPerAccount);
  const tokenFailures = limiter(knex, 'token-failure-ip', settings.tokenFailuresPerAddress);
  /** Addresses this server found over the token limit, and until when: checked without a query. */
  const blocked = new Map<string, number>();

  const signIn: RequestHandler = async (req, _res, next) => {
    if (!SIGN_IN.has(`${req.method} ${req.path}`)) return next();
    try {
      await signInAddress.consume(address(req));
      // An account is a user id; anything else names no account (the address's limit still counts it).
      const userId = parseId((req.body as Record<string, unknown> | undefined)?.userId);
      if (req.path === '/sign-in' && userId !== undefined) await signInAccount.consume(String(userId));
      next();
    } catch (rejection) {
      next(rejection instanceof RateLimiterRes ? wait(rejection.msBeforeNext) : rejection);
    }
  };

  return {
    /** Counts every sign-in attempt, whatever its outcome; other requests pass untouched. */
    signIn,

    /**
     * Bearer tokens: `check`, before a token is looked up, refuses an address over the limit; `refused`
     * counts a token that was not valid, and answers 429 instead of 401 once the address is over it.
     */
    tokens: {
      check(req: Request): void {
        const until = blocked.get(address(req));
        if (until === undefined) return;
        if (until > Date.now()) throw wait(until - Date.now());
        blocked.delete(address(req));
      },
      async refused(req: Request): Promise<void> {
        try {
          await tokenFailures.consume(address(req));
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          blocked.set(address(req), Date.now() + rejection.msBeforeNext);
          throw wait(rejection.msBeforeNext);
        }
      },
    },

    /** Deletes counters whose window has ended. */
    prune: async (): Promise<number> => knex(TABLE).where('expire', '<', Date.now()).delete(),
  };
}

export type RateLimits = ReturnType<typeof setUpRateLimits>;
