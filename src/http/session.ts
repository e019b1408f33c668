import type { RequestHandler } from 'express';
import session from 'express-session';
import type { Config } from '../config';
import type { PostgresSessionStore } from '../auth/session-store';

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
    sessions(req, res, (err?: unknown) => {
      // A session that could not be loaded (the database out of reach) is left as it is. With unset:
      // 'destroy', express-session deletes the session of a request that ends without one, which would sign
      // people out over a passing outage.
      if (err) Reflect.deleteProperty(req, 'sessionID');
      next(err);
    });
  };
}
