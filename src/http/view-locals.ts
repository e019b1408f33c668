import type { RequestHandler } from 'express';
import { navigationFor } from '../auth/access';

/** What every page's layout needs: the user, their navigation and a CSRF token for the sign-out form. */
export function setUpViewLocals(appVersion: string): RequestHandler {
  return (req, res, next) => {
    res.locals.appVersion = appVersion;
    if (req.user && req.authMethod === 'session') {
      res.locals.currentUser = req.user;
      res.locals.navigation = navigationFor(req.user.roles, req.path);
      res.locals.csrfToken = req.csrfToken?.();
    }
    next();
  };
}
