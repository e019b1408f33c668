import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Config } from '../config';
import { isDataException, isDatabaseUnavailable } from '../db/errors';
import { AppError, NotFoundError, TooManyRequestsError, newErrorId, type FieldError } from '../errors';
import { isApiRequest } from './api-request';
import { MAX_JSON_DEPTH } from './json-depth';
import { loggedPath } from './request-logging';

interface Problem {
  status: number;
  title: string;
  detail: string;
  fieldErrors: readonly FieldError[];
  extensions?: Readonly<Record<string, unknown>>;
}

export const UPLOAD_LIMIT_MB = 5;

const SERVER_PROBLEM = 'Sorry, there is a problem with the service. Try again later.';

/** Errors raised by Express's body parsers and csrf-sync carry a status and say whether to expose it. */
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  message?: string;
  limit?: number;
}

const plain = (status: number, title: string, detail: string): Problem => ({
  status,
  title,
  detail,
  fieldErrors: [],
});

/** Body-parser's refusals (and the checks run on a body's bytes), by the `type` it gives each. */
function bodyProblem(type: string | undefined, bodyLimit: string): Problem | undefined {
  switch (type) {
    case 'entity.too.large':
      return plain(413, 'Too large', `The request is larger than the limit of ${bodyLimit}.`);
    case 'parameters.too.many':
      return plain(413, 'Too large', 'The form has too many fields.');
    case 'entity.too.deep':
      return plain(
        400,
        'Bad request',
        `The JSON is nested too deeply: at most ${MAX_JSON_DEPTH} levels of arrays and objects are accepted.`,
      );
    case 'entity.parse.failed':
      return plain(400, 'Bad request', 'The request body is not valid JSON.');
    case 'charset.unsupported':
      return plain(415, 'Unsupported media type', 'The body’s character set is not supported: send UTF-8.');
    case 'encoding.unsupported':
      return plain(
        415,
        'Unsupported media type',
        'The body’s content encoding is not supported: send it as it is, or as gzip, deflate or br.',
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return plain(400, 'Bad request', 'The request body did not arrive whole.');
    default:
      return undefined;
  }
}

/** Seconds a client is asked to wait (Retry-After) when the service cannot reach its database. */
export const RETRY_AFTER_SECONDS = 30;

const DATABASE_UNAVAILABLE = plain(
  503,
  'Sorry, the service is unavailable',
  'The service cannot reach its database at the moment, so it cannot do this now. Try again in a minute.',
);

function toProblem(err: unknown, bodyLimit: string): Problem {
  if (err instanceof AppError) {
    return {
      status: err.status,
      title: err.title,
      detail: err.message,
      fieldErrors: err.fieldErrors,
      extensions: err.extensions,
    };
  }
  const http = (typeof err === 'object' && err !== null ? err : {}) as HttpLikeError;
  const status = http.status ?? http.statusCode ?? 500;
  const fromBody = bodyProblem(http.type, bodyLimit);
  if (fromBody) return fromBody;
  if (isDatabaseUnavailable(err)) return DATABASE_UNAVAILABLE;
  if (isDataException(err)) return plain(400, 'Bad request', 'A value in the request is not valid.');
  if ((err as { name?: string }).name === 'MulterError') {
    const code = (err as { code?: string }).code;
    return code === 'LIMIT_FILE_SIZE'
      ? {
          status: 413,
          title: 'Too large',
          detail: `The file is larger than the limit of ${UPLOAD_LIMIT_MB} MB.`,
          fieldErrors: [],
        }
      : {
          status: 400,
          title: 'Bad request',
          detail: 'Send one file, in the field named "file".',
          fieldErrors: [],
        };
  }
  if (status === 403 && (err as { code?: string }).code === 'EBADCSRFTOKEN') {
    return { status, title: 'The form could not be sent', detail: http.message ?? '', fieldErrors: [] };
  }
  if (status === 404) {
    return { status, title: 'Not found', detail: new NotFoundError().message, fieldErrors: [] };
  }
  // Any other refusal keeps its 4xx status; its own words only when the library marked them safe to show.
  if (status >= 400 && status < 500) {
    const detail = http.expose && http.message ? http.message : 'The request is not valid.';
    return plain(status, 'Bad request', detail);
  }
  return {
    status: 500,
    title: 'Sorry, there is a problem with the service',
    detail: SERVER_PROBLEM,
    fieldErrors: [],
  };
}

export const notFound: RequestHandler = () => {
  throw new NotFoundError();
};

/** The problem's `instance`: the path as the request log has it, so never a case reference. */
function pathOf(req: Request): string {
  return loggedPath(req.originalUrl) || '/';
}

/**
 * Unexpected errors are logged in full (through the logger's redaction); a database out of reach as a warning,
 * as the request may work later; a value the database refused as a warning too, as validation should have
 * caught it first; other refusals in a line without the error.
 */
function logProblem(req: Request, err: unknown, problem: Problem, errorId: string): void {
  if (problem === DATABASE_UNAVAILABLE) req.log.warn({ err, errorId }, 'database unavailable');
  else if (problem.status >= 500) req.log.error({ err, errorId }, 'request failed');
  else if (isDataException(err))
    req.log.warn({ err, errorId }, 'the database refused a value in the request');
  else req.log.info({ errorId, status: problem.status, problem: problem.title }, 'request refused');
}

/**
 * The one error handler: RFC 9457 problem details under /api, GOV.UK-styled pages elsewhere. Every error
 * gets an id the user can quote, logged with it; stack traces are only ever shown in development.
 */
export function errorHandler(config: Config): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const problem = toProblem(err, config.bodyLimit);
    const errorId = newErrorId();
    logProblem(req, err, problem, errorId);
    // Too late for an answer (a session saved as the response ended, say): the error is logged above, and a
    // response cut short is closed, rather than handed to Express's default handler, which prints the error,
    // unredacted, to stderr.
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return;
    }

    res.status(problem.status);
    if (problem.status === 401) res.set('WWW-Authenticate', 'Bearer');
    if (problem.status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    if (err instanceof TooManyRequestsError) res.set('Retry-After', String(err.retryAfterSeconds));
    if (isApiRequest(req)) {
      res.type('application/problem+json').send(
        JSON.stringify({
          type: 'about:blank',
          title: problem.title,
          status: problem.status,
          detail: problem.detail,
          instance: pathOf(req),
          errorId,
          ...problem.extensions,
          ...(problem.fieldErrors.length > 0 ? { errors: problem.fieldErrors } : {}),
        }),
      );
      return;
    }
    const stack = config.env === 'development' && err instanceof Error ? err.stack : undefined;
    res.render('error', {
      title: problem.title,
      detail: problem.detail,
      errorId: problem.status >= 500 || problem.status === 403 ? errorId : undefined,
      signInLink: problem.status === 401,
      stack,
    });
  };
}
