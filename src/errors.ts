import { randomBytes } from 'node:crypto';

/** A problem with one field of the input, shown next to that field in forms and listed in API responses. */
export interface FieldError {
  /** Where the problem is: a form field name, a JSON pointer or a file position. */
  field: string;
  message: string;
}

const ERROR_ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short id a user can read out over the phone; it is logged with the error it names. */
export function newErrorId(): string {
  return Array.from(randomBytes(8), (byte) => ERROR_ID_ALPHABET[byte % 32]).join('');
}

/** An error the application expects and knows how to explain to the person who caused it. */
export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  readonly fieldErrors: readonly FieldError[];
  /** Further members of the API's problem details (RFC 9457 extension members). */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    title: string,
    detail: string,
    fieldErrors: readonly FieldError[] = [],
    extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
    this.name = new.target.name;
    this.status = status;
    this.title = title;
    this.fieldErrors = fieldErrors;
    this.extensions = extensions;
  }
}

export class BadRequestError extends AppError {
  constructor(detail: string, fieldErrors: readonly FieldError[] = []) {
    super(400, 'Bad request', detail, fieldErrors);
  }
}

export class ValidationError extends AppError {
  constructor(detail: string, fieldErrors: readonly FieldError[] = []) {
    super(422, 'There is a problem with what was sent', detail, fieldErrors);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(detail = 'Sign in to use this service.') {
    super(401, 'Sign in required', detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'You do not have access to this page.') {
    super(403, 'You do not have access', detail);
  }
}

export class NotFoundError extends AppError {
  constructor(detail = 'There is nothing at this address.') {
    super(404, 'Not found', detail);
  }
}

/** The change clashes with existing data (a duplicate, or a stale version). */
export class ConflictError extends AppError {
  constructor(detail: string, fieldErrors: readonly FieldError[] = []) {
    super(409, 'Conflict', detail, fieldErrors);
  }
}

/**
 * The change was made from a version that is no longer the latest: somebody (or another tab) saved since.
 * The problem details carry the current version and content, so the client can show both and choose.
 */
export class StaleVersionError extends AppError {
  constructor(detail: string, current: Readonly<Record<string, unknown>>) {
    super(409, 'Changed since you opened it', detail, [], { current });
  }
}

/** The change refers to a record that does not exist, or removes one that others still refer to. */
export class ReferenceMissingError extends AppError {
  constructor(detail: string, fieldErrors: readonly FieldError[] = []) {
    super(409, 'Related record problem', detail, fieldErrors);
  }
}

/** Too many requests from one address or for one account: try again in `retryAfterSeconds`. */
export class TooManyRequestsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      'Too many requests',
      `There have been too many attempts. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
      [],
      { retryAfter: retryAfterSeconds },
    );
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(detail = 'The service is unavailable. Try again in a few minutes.') {
    super(503, 'Service unavailable', detail);
  }
}

/**
 * The connection to the database was lost while a change was being committed: it may or may not have
 * been saved. Retrying blindly could apply it twice, so the user is told to check first (or to retry with
 * the same Idempotency-Key, which answers with the first request's result if it was saved).
 */
export class CommitOutcomeUnknownError extends AppError {
  constructor(cause?: unknown) {
    super(
      503,
      'Your change may not have been saved',
      'The connection to the database was lost while your change was being saved, so it may or may not have been saved. Check before you try again: reload the page to see what was saved. (An API client can repeat the request with the same Idempotency-Key header to find out safely.)',
      [],
      { outcome: 'unknown' },
    );
    if (cause !== undefined) this.cause = cause;
  }
}
