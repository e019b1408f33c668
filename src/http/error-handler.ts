import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Config } from '../config';
import { AppError, NotFoundError, newErrorId, type FieldError } from '../errors';
import { isApiRequest } from './api-request';
import { MAX_JSON_DEPTH } from './json-depth';

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

function pathOf(req: Request): string {
  return req.originalUrl.split('?')[0] ?? '/';
}

/**
 * The one error handler: RFC 9457 problem details under /api, GOV.UK-styled pages elsewhere. Every error
 * gets an id the user can quote, logged with it; stack traces are only ever shown in development.
 */
export function errorHandler(config: Config): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const problem = toProblem(err, config.bodyLimit);
    const errorId = newErrorId();
    if (problem.status >= 500) req.log.error({ err, errorId }, 'request failed');
    else req.log.info({ errorId, status: problem.status, problem: problem.title }, 'request refused');

    res.status(problem.status);
    if (problem.status === 401) res.set('WWW-Authenticate', 'Bearer');
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
