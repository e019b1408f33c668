import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

/**
 * The routes that take a file as a multipart form. Their body is parsed only inside the route (a case list
 * streams straight into the database), so their token, in the form's hidden `_csrf` field like every other
 * form's, is checked by the upload parser once it has read the fields before the file (`uploadTokenRefusal`).
 * A token never travels in a URL: it would leak through history, logs and Referer. A multipart post to any
 * other route is checked here, and refused unless it carries the X-CSRF-Token header.
 */
export const MULTIPART_UPLOAD_PATHS: ReadonlySet<string> = new Set([
  '/cases/imports/new',
  '/frameworks/upload',
  '/api/case-imports',
  '/api/frameworks',
]);

const BODY_FIELD = '_csrf';
/**
 * The only forms posted from elsewhere: the single sign-on response, and the identity provider's sign-out
 * request or answer (HTTP-POST binding).
 */
export const SAML_POSTED_PATHS: ReadonlySet<string> = new Set([
  '/auth/saml/callback',
  '/auth/saml/logout/callback',
]);
const HEADER = 'x-csrf-token';

function tokenFromRequest(req: Request): string | undefined {
  const fromBody = (req.body as Record<string, unknown> | undefined)?.[BODY_FIELD];
  if (typeof fromBody === 'string') return fromBody;
  const fromHeader = req.headers[HEADER];
  return typeof fromHeader === 'string' ? fromHeader : undefined;
}

/**
 * Cookie-authenticated multipart posts to an upload route, whose token the upload parser checks. Decided
 * once, by the middleware (inside a router, `req.path` no longer holds the mount path).
 */
const leftToUploadParser = new WeakSet<Request>();

function leaveToUploadParser(req: Request): boolean {
  const left =
    req.authMethod !== 'token' &&
    req.method === 'POST' &&
    MULTIPART_UPLOAD_PATHS.has(req.path) &&
    Boolean(req.is('multipart/form-data'));
  if (left) leftToUploadParser.add(req);
  return left;
}

const csrf = csrfSync({
  getTokenFromRequest: tokenFromRequest,
  // Bearer-token API requests carry no cookie, so they cannot be forged this way.
  // The identity provider posts the single sign-on response and its sign-out messages: they carry no
  // token, and are checked instead as messages it signed (src/saml/).
  skipCsrfProtection: (req) =>
    req.authMethod === 'token' ||
    (req.method === 'POST' && SAML_POSTED_PATHS.has(req.path)) ||
    leaveToUploadParser(req),
  errorConfig: {
    statusCode: 403,
    message:
      'The form had expired or did not come from this service. Go back, reload the page and try again.',
    code: 'EBADCSRFTOKEN',
  },
});

/**
 * Synchroniser-token CSRF protection on every state-changing request made with a session cookie: the
 * token is held in the session and must come back in the `_csrf` form field or the `X-CSRF-Token` header.
 */
export function setUpCsrf(): RequestHandler {
  return csrf.csrfSynchronisedProtection;
}

/**
 * For an upload parser, once it has the form's fields (the token comes before the file, as the form puts
 * it first): the CSRF refusal (403) when the request needed its token checked here and the field or header
 * does not match the session's. Nothing for requests the middleware has already checked.
 */
export function uploadTokenRefusal(
  req: Request,
  fields: Record<string, unknown> | undefined,
): Error | undefined {
  if (!leftToUploadParser.has(req)) return undefined;
  const sent = fields?.[BODY_FIELD] ?? req.headers[HEADER];
  const expected = csrf.getTokenFromState(req);
  return typeof sent === 'string' && typeof expected === 'string' && sent === expected
    ? undefined
    : csrf.invalidCsrfTokenError;
}
