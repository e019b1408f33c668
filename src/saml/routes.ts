import { Router, type NextFunction, type Request, type Response } from 'express';
import { actorOf } from '../http/actor';
import { formValues } from '../http/form-values';
import { safeReturnTo } from '../http/return-to';
import type { LogoutMessage } from './logout-checks';
import type { LogoutAnswer, SamlService } from './service';

/** The words a person refused at sign-in sees, by why: never the technical reason (that is in the log). */
const NO_ACCESS_PAGES: Record<string, { title: string; body: string }> = {
  'no-role': {
    title: 'You do not have access to Case Audit',
    body: 'Your council account was recognised, but it has not been given a role in Case Audit. Ask your Case Audit administrator to give you access.',
  },
  'groups-overage': {
    title: 'You do not have access to Case Audit',
    body: 'Your council account belongs to too many groups for Case Audit to read them. Ask your administrator to grant Case Audit access with an app role.',
  },
  'no-subject': {
    title: 'You could not be signed in',
    body: 'Your council’s sign-in did not say who you are in the way Case Audit needs. Ask your Case Audit administrator to check the single sign-on set-up.',
  },
  deactivated: {
    title: 'Your Case Audit account is deactivated',
    body: 'Ask your Case Audit administrator if you should have access again.',
  },
  'email-in-use': {
    title: 'You could not be signed in',
    body: 'Another Case Audit account already uses your email address. Ask your Case Audit administrator to sort out the two accounts.',
  },
  'unknown-codes': {
    title: 'You could not be signed in',
    body: 'Your access names a team or service area Case Audit does not know. Ask your Case Audit administrator to check the role mapping.',
  },
};
const FAILED = {
  title: 'You could not be signed in',
  body: 'Your council’s sign-in could not be confirmed. Go back to Case Audit and sign in again; if it happens again, tell your Case Audit administrator the time it happened.',
};

const LOGOUT_REFUSED = {
  title: 'The sign-out could not be confirmed',
  body: 'Your council’s sign-in service asked Case Audit to sign you out, but the request could not be confirmed. If you are worried someone else is signed in as you, tell your Case Audit administrator the time it happened.',
};

const originalQuery = (req: Request) => req.originalUrl.split('?')[1] ?? '';

/**
 * Single sign-on: this service provider's metadata, sign-in through the identity provider, the assertion
 * consumer and the sign-out address (the two forms exempt from the CSRF check: the identity provider posts
 * them, and the signed message's own checks stand in for the token), where the identity provider answers
 * a sign-out or asks for one (single logout, by HTTP-Redirect or HTTP-POST).
 */
export function samlRoutes(saml: SamlService): Router {
  const router = Router();

  router.get('/auth/saml/metadata', (_req, res) => {
    res.type('application/samlmetadata+xml').send(saml.metadata());
  });

  router.get('/auth/saml/login', async (req, res) => {
    res.redirect(await saml.loginUrl(safeReturnTo(req.query.returnTo)));
  });

  router.post('/auth/saml/callback', async (req, res, next) => {
    const body = formValues(req.body);
    const outcome = await saml.signIn(body.SAMLResponse, actorOf(req));
    if ('refused' in outcome) {
      const page = (outcome.noAccess && NO_ACCESS_PAGES[outcome.noAccess]) || FAILED;
      return res.status(outcome.noAccess ? 403 : 401).render('sign-in-refused', { ...page });
    }
    req.login(outcome.user, (err) => {
      if (err) return next(err);
      req.session.signedInAt = Date.now();
      req.session.saml = outcome.session;
      res.redirect(safeReturnTo(body.RelayState));
    });
  });

  /** The identity provider's answer to this service's sign-out: back to the sign-in page. */
  const signedOut = async (req: Request, res: Response, answer: LogoutAnswer) => {
    const answered = await saml.logoutAnswered(answer);
    req.session.notice = {
      text: answered ? 'You have signed out.' : 'You have signed out of Case Audit.',
    };
    res.redirect('/sign-in');
  };

  /**
   * The identity provider's own sign-out request: the sessions it names end, and the browser takes the
   * signed answer back. When this browser's session is one of them it is destroyed here too, so that the
   * end of the request cannot save it again.
   */
  const endIdpSession = async (req: Request, res: Response, next: NextFunction, message: LogoutMessage) => {
    const outcome = await saml.endIdpSession(message, actorOf(req));
    if ('refused' in outcome) return res.status(401).render('sign-in-refused', { ...LOGOUT_REFUSED });
    if (!outcome.endedSessions.includes(req.sessionID)) return res.redirect(outcome.answer);
    req.session.destroy((err) => (err ? next(err) : res.redirect(outcome.answer)));
  };

  router.get('/auth/saml/logout/callback', async (req, res, next) => {
    if (req.query.SAMLRequest !== undefined)
      return endIdpSession(req, res, next, { binding: 'redirect', query: originalQuery(req) });
    await signedOut(req, res, { query: req.query, originalQuery: originalQuery(req) });
  });

  // Posted by the identity provider (HTTP-POST binding), so exempt from the CSRF check like the callback.
  router.post('/auth/saml/logout/callback', async (req, res, next) => {
    const form = formValues(req.body);
    if (form.SAMLRequest !== undefined) return endIdpSession(req, res, next, { binding: 'post', form });
    await signedOut(req, res, { form });
  });

  return router;
}
