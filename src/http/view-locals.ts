import type { RequestHandler } from 'express';
import { navigationFor } from '../auth/access';

/**
 * What every page's layout needs: the user, their navigation, a CSRF token for the sign-out form, and a
 * one-off notice left by the previous request (shown once, then gone).
 */
export function setUpViewLocals(appVersion: string): RequestHandler {
  return (req, res, next) => {
    res.locals.appVersion = appVersion;
    if (req.session?.notice && req.method === 'GET') {
      res.locals.notice = req.session.notice;
      delete req.session.notice;
    }
    if (req.user && req.authMethod === 'session') {
      res.locals.currentUser = req.user;
      res.locals.navigation = navigationFor(req.user.roles, req.path);
      res.locals.csrfToken = req.csrfToken?.();
    }
    next();
  };
}
