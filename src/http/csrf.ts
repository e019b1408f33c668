import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

/**
 * The token comes in the `_csrf` form field or the `X-CSRF-Token` header. File uploads (multipart) are
 * parsed only inside their route, after this check, so their forms carry it in the action URL instead
 * (query strings are never logged, and the referrer policy keeps it on this origin).
 */
function tokenFromRequest(req: Request): string | undefined {
  const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof fromBody === 'string') return fromBody;
  const fromHeader = req.headers['x-csrf-token'];
  if (typeof fromHeader === 'string') return fromHeader;
  const fromQuery = req.query._csrf;
  return req.is('multipart/form-data') && typeof fromQuery === 'string' ? fromQuery : undefined;
}

/**
 * Synchroniser-token CSRF protection on every state-changing request made with a session cookie: the
 * token is held in the session and must come back in the `_csrf` form field or the `X-CSRF-Token` header.
 * Bearer-token API requests carry no cookie, so they cannot be forged this way and are exempt.
 */
export function setUpCsrf(): RequestHandler {
  const { csrfSynchronisedProtection } = csrfSync({
    getTokenFromRequest: tokenFromRequest,
    skipCsrfProtection: (req) => req.authMethod === 'token',
    errorConfig: {
      statusCode: 403,
      message:
        'The form had expired or did not come from this service. Go back, reload the page and try again.',
      code: 'EBADCSRFTOKEN',
    },
  });
  return csrfSynchronisedProtection;
}
