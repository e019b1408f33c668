import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { redactError } from '../log-redaction';
import type { Logger } from '../logger';

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;
const QUIET_PATHS = /^\/(ping|health|assets\/|public\/)/;

/**
 * One log line per request, carrying a request id that is also returned as X-Request-Id (a trusted proxy's
 * id is kept, so logs join up). Only method, path (no query string), status and timing are logged: never
 * bodies, headers or query strings, which can hold personal data.
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
        path: (req.originalUrl ?? req.url).split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: redactError,
    },
    customProps: (req) => ({ userId: (req as { user?: { id: number } }).user?.id }),
    // A 503 is the database out of reach, already logged as a warning by the error handler.
    customLogLevel: (_req, res, err) =>
      res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : 'info',
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
  });
}
