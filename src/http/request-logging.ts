import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pinoHttp, startTime } from 'pino-http';
import { redactError } from '../log-redaction';
import type { Logger } from '../logger';

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;
const QUIET_PATHS = /^\/(ping|health|assets\/|public\/)/;
/**
 * Paths naming a child by case reference (a subject access request's, a restricted case's): logged with the
 * reference left out.
 */
const CASE_REF_PATHS = [
  /^(\/(?:api|admin)\/subject-access\/)[^/]+?(\.zip)?$/,
  /^(\/(?:api|admin)\/restricted-cases\/)[^/]+(\/.*)?$/,
];

/** The path a request is logged under: no query string, and no case reference. */
export const loggedPath = (url: string): string =>
  CASE_REF_PATHS.reduce(
    (path, pattern) =>
      path.replace(pattern, (_whole, base: string, rest?: string) => `${base}:caseRef${rest ?? ''}`),
    url.split('?')[0] ?? '',
  );

/** A request taking longer than this is logged at info even when it succeeds. */
export const SLOW_REQUEST_MS = 1000;

/** How long the response took: pino-http notes when the request began. */
function elapsedMs(res: object): number {
  const began = (res as { [startTime]?: number })[startTime];
  return began === undefined ? 0 : Date.now() - began;
}

/**
 * One log line per request, carrying a request id that is also returned as X-Request-Id (a trusted proxy's
 * id is kept, so logs join up). Only method, path (no query string, no case reference), status and timing are logged: never
 * bodies, headers or query strings, which can hold personal data. Requests that went well are logged at
 * debug (LOG_LEVEL=debug shows them); failures at error (a 503, the database out of reach, at warn) and
 * slow requests at info.
 */
export function setUpRequestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId' },
    quietReqLogger: true,
    autoLogging: { ignore: (req) => QUIET_PATHS.test(req.url ?? '') },
    // Our serializers as they are: pino-http would otherwise run its own first, and its error serializer
    // keeps every field of an error (a PostgreSQL error's detail, body-parser's raw body).
    wrapSerializers: false,
    serializers: {
      req: (req: { method: string; url: string; originalUrl?: string }) => ({
        method: req.method,
        path: loggedPath(req.originalUrl ?? req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: redactError,
    },
    customProps: (req) => ({ userId: (req as { user?: { id: number } }).user?.id }),
    // A 503 is the database out of reach, already logged as a warning by the error handler.
    customLogLevel: (_req, res, err) => {
      if (res.statusCode === 503) return 'warn';
      if (err || res.statusCode >= 500) return 'error';
      return elapsedMs(res) >= SLOW_REQUEST_MS ? 'info' : 'debug';
    },
    customSuccessMessage: (_req, _res, responseTime) =>
      responseTime >= SLOW_REQUEST_MS ? 'slow request completed' : 'request completed',
    customErrorMessage: () => 'request failed',
  });
}
