import { Router, type Request } from 'express';
import { Passport } from 'passport';
import type { IdentityCache } from '../auth/identity-cache';
import type { Config } from '../config';
import { UnauthenticatedError } from '../errors';
import type { TokensService } from '../tokens/service';
import type { UsersService } from '../users/service';
import { carriesBearerToken, isApiRequest } from './api-request';
import type { RateLimits } from './rate-limit';

/** Ends the session if it is older than the absolute limit, however active it has been. */
function sessionTooOld(req: Request, maxHours: number): boolean {
  const signedInAt = req.session?.signedInAt;
  return typeof signedInAt === 'number' && Date.now() - signedInAt > maxHours * 3_600_000;
}

/**
 * Who is making the request: a browser session (passport), or on /api a bearer token. A token that is
 * present but not valid is refused outright rather than falling back to the session.
 */
export function setUpAuthentication(
  config: Config,
  users: UsersService,
  tokens: TokensService,
  limits: RateLimits['tokens'],
  identities: IdentityCache,
): Router {
  const passport = new Passport();
  passport.serializeUser<number>((user, done) => done(null, user.id));
  passport.deserializeUser<number>((id, done) => {
    identities
      .through(`user:${id}`, () => users.findById(id))
      .then(
        // A deactivated or removed user loses their sessions at the next request.
        // A copy: the cached user is shared by every request of the session.
        (user) => done(null, user?.active ? structuredClone(user) : false),
        (err) => done(err),
      );
  });

  const sessions = Router();
  sessions.use(passport.initialize());
  sessions.use(passport.session());
  sessions.use((req, res, next) => {
    if (req.user) req.authMethod = 'session';
    if (!req.user || !sessionTooOld(req, config.sessionMaxHours)) return next();
    req.logout({ keepSessionInfo: false }, (err) => {
      if (err) return next(err);
      req.session.notice = {
        text: `You were signed out because you signed in more than ${config.sessionMaxHours} hours ago. Sign in again.`,
      };
      if (isApiRequest(req)) return next(new UnauthenticatedError('Your session has ended. Sign in again.'));
      res.redirect('/sign-in');
    });
  });
  const router = Router();
  // A bearer token's request has no session (src/http/session.ts): it is the token's user or nobody.
  router.use((req, res, next) => (carriesBearerToken(req) ? next() : sessions(req, res, next)));
  router.use('/api', async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) return next();
    limits.check(req);
    const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(header);
    if (!match?.[1]) {
      await limits.refused(req);
      throw new UnauthenticatedError('The Authorization header must be "Bearer" followed by an API token.');
    }
    const result = await tokens.authenticate(match[1]);
    if (!result) {
      await limits.refused(req);
      throw new UnauthenticatedError('The API token is not valid: it is unknown, revoked or expired.');
    }
    req.user = result.user;
    req.authMethod = 'token';
    req.apiTokenId = result.tokenId;
    next();
  });
  return router;
}
