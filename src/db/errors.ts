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

/** Awaits `work`, rethrowing database errors as domain errors. */
export async function translating<T>(work: Promise<T>, messages?: ConstraintMessages): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw translateDbError(err, messages);
  }
}
