import { Router, type Request, type Response } from 'express';
import type { Config } from '../config';
import { actorOf } from '../http/actor';
import { requireSignIn } from '../http/authorise';
import { formValues } from '../http/form-values';
import { parseId } from '../http/params';
import { safeReturnTo } from '../http/return-to';
import type { SamlService } from '../saml/service';
import type { UsersService } from '../users/service';

export function authRoutes(config: Config, users: UsersService, saml?: SamlService): Router {
  const router = Router();
  const devMode = config.authMode === 'dev';

  const renderSignIn = async (req: Request, res: Response, errors?: { userId: string }) => {
    const returnTo = safeReturnTo(req.method === 'GET' ? req.query.returnTo : formValues(req.body).returnTo);
    res.status(errors ? 422 : 200).render('sign-in', {
      title: 'Sign in',
      devMode,
      singleSignOn: Boolean(saml),
      loginHref: `/auth/saml/login?returnTo=${encodeURIComponent(returnTo)}`,
      users: devMode ? (await users.list()).filter((user) => user.active) : [],
      returnTo,
      csrfToken: req.csrfToken?.(),
      errors,
      errorList: errors ? [{ field: 'userId', message: errors.userId }] : undefined,
    });
  };

  router.get('/sign-in', async (req, res) => {
    if (req.user && req.authMethod === 'session') return res.redirect('/');
    await renderSignIn(req, res);
  });

  if (devMode) {
    router.post('/sign-in', async (req, res, next) => {
      const body = formValues(req.body);
      const id = parseId(body.userId);
      const user = id === undefined ? undefined : await users.findById(id);
      if (!user || !user.active)
        return renderSignIn(req, res, { userId: 'Select the user you want to sign in as' });
      req.login(user, (err) => {
        if (err) return next(err);
        req.session.signedInAt = Date.now();
        users
          .recordSignIn(user, { ...actorOf(req), kind: 'user', userId: user.id }, 'dev')
          .then(() => res.redirect(safeReturnTo(body.returnTo)), next);
      });
    });
  }

  router.post('/sign-out', requireSignIn, async (req, res, next) => {
    const actor = actorOf(req);
    await users.recordSignOut(actor.userId as number, actor);
    const idpSession = req.session.saml;
    const idpLogout = saml && idpSession ? await saml.logoutUrl(idpSession) : undefined;
    req.logout((err) => {
      if (err) return next(err);
      req.session.notice = { text: 'You have signed out.' };
      // With single sign-on, the identity provider's session ends too when it has a sign-out address.
      res.redirect(idpLogout ?? '/sign-in');
    });
  });

  return router;
}
