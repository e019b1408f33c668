import { AppError, ConflictError, ReferenceMissingError, ValidationError } from '../errors';

interface PgError {
  code: string;
  constraint?: string;
  column?: string;
  table?: string;
}

function isPgError(err: unknown): err is PgError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((err as { code: string }).code)
  );
}

/** Plain words for constraints users can run into; keyed by constraint name. */
export type ConstraintMessages = Record<string, { field: string; message: string }>;

/**
 * Turns PostgreSQL integrity errors into domain errors at the repository boundary, so that routes never see
 * driver errors. Messages never quote values: PostgreSQL's `detail` can hold personal data.
 */
export function translateDbError(err: unknown, messages: ConstraintMessages = {}): unknown {
  if (!isPgError(err) || err instanceof AppError) return err;
  const known = err.constraint ? messages[err.constraint] : undefined;
  const fieldErrors = known ? [known] : [];
  switch (err.code) {
    case '23505':
      return new ConflictError(
        known?.message ?? `A record like this already exists (${err.constraint ?? 'unique'}).`,
        fieldErrors,
      );
    case '23503':
      return new ReferenceMissingError(
        known?.message ??
          `This refers to a record that does not exist, or is still referred to (${err.constraint ?? 'foreign key'}).`,
        fieldErrors,
      );
    case '23502':
      return new ValidationError(`${err.column ?? 'A field'} is required.`, [
        { field: err.column ?? 'unknown', message: 'is required' },
      ]);
    case '23514':
      return new ValidationError(
        known?.message ?? `A value is not allowed (${err.constraint ?? 'check'}).`,
        fieldErrors,
      );
    default:
      return err;
  }
}

/** SQLSTATEs of a server shutting down or refusing connections (57P01-57P03, admin shutdown and start-up). */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03']);
/** SQLSTATE classes: 08 connection exception, 53 insufficient resources (too many connections, disk full). */
const UNAVAILABLE_CLASSES = new Set(['08', '53']);
/** What the network says when the server is not there, or went away mid-query. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** node-postgres and knex report a lost or unobtainable connection in words, without a code. */
const CONNECTION_MESSAGES =
  /Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Unable to acquire a connection/i;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function signalsUnavailable({ name, code, message }: ErrorLike): boolean {
  if (name === 'KnexTimeoutError') return true;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_CODES.has(code)) return true;
    if (isPgError({ code }) && UNAVAILABLE_CLASSES.has(code.slice(0, 2))) return true;
  }
  return typeof message === 'string' && CONNECTION_MESSAGES.test(message);
}

/**
 * Whether the error says the database cannot be reached or cannot take work now (as opposed to refusing this
 * request's data): the request may succeed later, so it is a 503, not a 500. Looks through `cause` and the
 * `errors` of an AggregateError (a refused connection to each address of a host), a few levels deep.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen: unknown[] = [err];
  for (let i = 0; i < seen.length && i < 20; i++) {
    const item = seen[i];
    if (typeof item !== 'object' || item === null) continue;
    const candidate = item as ErrorLike;
    if (signalsUnavailable(candidate)) return true;
    if (candidate.cause !== undefined) seen.push(candidate.cause);
    if (Array.isArray(candidate.errors)) seen.push(...(candidate.errors as unknown[]));
  }
  return false;
}

/**
 * A PostgreSQL data exception (SQLSTATE class 22: a number out of range, text that is not a valid value of its
 * type, a string too long, bytes not valid in the encoding): the request carried a value the database cannot
 * hold. Validation should have refused it; this is the safety net that keeps it a 400.
 */
export function isDataException(err: unknown): boolean {
  return isPgError(err) && err.code.startsWith('22');
}

/** Awaits `work`, rethrowing database errors as domain errors. */
export async function translating<T>(work: Promise<T>, messages?: ConstraintMessages): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw translateDbError(err, messages);
  }
}
