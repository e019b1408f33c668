import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { Config } from '../config';
import type { PostgresSessionStore } from '../auth/session-store';
import { carriesBearerToken } from './api-request';

/**
 * Sessions in PostgreSQL. The cookie is HttpOnly, SameSite=Lax and, in production, Secure with the
 * `__Host-` prefix (bound to this host, path /). `rolling` renews the idle timeout on each request.
 */
export function setUpSession(config: Config, store: PostgresSessionStore): RequestHandler {
  const production = config.env === 'production';
  const sessions = session({
    name: production ? '__Host-case-audit' : 'case-audit.sid',
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: production,
      path: '/',
      maxAge: config.sessionIdleMinutes * 60_000,
    },
  });
  return (req, res, next) => {
    // A request to the API with a bearer token acts as the token's user alone: no session is read or made.
    if (carriesBearerToken(req)) return next();
    sessions(req, res, (err?: unknown) => {
      // A session that could not be loaded (the database out of reach) is left as it is. With unset:
      // 'destroy', express-session deletes the session of a request that ends without one, which would sign
      // people out over a passing outage.
      if (err) Reflect.deleteProperty(req, 'sessionID');
      else saveBeforeRedirecting(req, res, next);
      next(err);
    });
  };
}

/** A session holding more than its cookie: one worth keeping. */
const holdsSomething = (sess: session.Session) => Object.keys(sess).some((key) => key !== 'cookie');

/**
 * Redirects only once the session is saved. express-session saves at the end of the response, but sends
 * the headers first, and a browser follows a redirect as soon as it has them: the next page could be read
 * from the session before the notice for it ("You have signed out", "Round created") was written.
 */
function saveBeforeRedirecting(req: Request, res: Response, next: NextFunction): void {
  const redirect = res.redirect.bind(res);
  res.redirect = ((...args: Parameters<typeof redirect>) => {
    const sess: session.Session | undefined = req.session;
    if (!sess || !holdsSomething(sess)) return redirect(...args);
    sess.save((err?: unknown) => {
      if (err) return next(err);
      redirect(...args);
    });
  }) as Response['redirect'];
}
