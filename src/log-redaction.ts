/**
 * Errors as they may be logged: what went wrong and where in the code, never the data involved. PostgreSQL
 * errors carry `detail`, `where`, `hint` and `internalQuery`, which can quote a row (a saved draft's text);
 * knex adds the SQL with its bindings; body-parser attaches the raw body. None of that is kept: only the
 * fields below, and the message and stack with every quoted span removed.
 */

/** Fields that name a condition or a place in the schema or the code, never a value. */
const SAFE_FIELDS = [
  'code',
  'severity',
  'routine',
  'constraint',
  'table',
  'column',
  'schema',
  'dataType',
  'status',
  'statusCode',
  'errno',
  'syscall',
] as const;

const MAX_CAUSES = 5;
const MAX_AGGREGATED = 10;

/**
 * Removes everything from the first to the last double quote, then the same for single quotes: PostgreSQL
 * quotes values in double quotes without escaping the quotes inside them, knex inlines bindings in single
 * quotes, and JSON.parse quotes the text it failed on. Taking the outermost pair leaves nothing of a value
 * outside, whatever quotes it holds. Identifiers go too; the error's own fields still name them.
 */
export function redactMessage(text: string): string {
  return text.replace(/"[\s\S]*"/, '"…"').replace(/'[\s\S]*'/, "'…'");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A line of a V8 stack trace: `    at fn (file:1:2)`, `    at file:1:2`, `    at fn (native)`. */
const FRAME = /^ {4}at (?:.+ \((?:.+:\d+:\d+|native|<anonymous>)\)|.+:\d+:\d+|native|<anonymous>)$/;

/**
 * The stack's frames under a header rebuilt from the redacted message. V8 repeats the message at the top of
 * the stack, and a value in it may span lines, even lines shaped like frames; so only the unbroken run of
 * frames at the bottom is kept, which a quoted value's closing quote always ends.
 */
function redactStack(stack: string, header: string): string {
  const lines = stack.split('\n');
  let first = lines.length;
  while (first > 1 && FRAME.test(lines[first - 1] as string)) first -= 1;
  return [header, ...lines.slice(first)].join('\n');
}

/** An Error, from this realm or another (a test sandbox), or one already made plain by a serializer. */
function isErrorLike(value: unknown): value is Record<string, unknown> {
  return value instanceof Error || (isObject(value) && typeof value.message === 'string');
}

function typeOf(err: Record<string, unknown>): string {
  if (typeof err.name === 'string') return err.name;
  return typeof err.type === 'string' ? err.type : 'Object';
}

/**
 * An error reduced to what may be logged, with its causes and (for an AggregateError) the errors it gathers.
 * Also takes an error already turned into a plain object by another serializer, and text.
 */
export function redactError(err: unknown, depth = 0): unknown {
  if (typeof err === 'string') return redactMessage(err);
  if (!isObject(err)) return err;
  const type = typeOf(err);
  const message = redactMessage(typeof err.message === 'string' ? err.message : '');
  const out: Record<string, unknown> = { type, message };
  for (const field of SAFE_FIELDS) {
    const value = err[field];
    if (typeof value === 'number' || typeof value === 'boolean') out[field] = value;
    else if (typeof value === 'string') out[field] = redactMessage(value);
  }
  if (typeof err.stack === 'string') out.stack = redactStack(err.stack, `${type}: ${message}`);
  if (depth < MAX_CAUSES && err.cause !== undefined) out.cause = redactError(err.cause, depth + 1);
  if (depth < MAX_CAUSES && Array.isArray(err.errors))
    out.errors = err.errors.slice(0, MAX_AGGREGATED).map((inner) => redactError(inner, depth + 1));
  return out;
}

/** A log line's fields with every error among them redacted, whatever key it was logged under. */
export function redactErrorsIn(fields: Record<string, unknown>): Record<string, unknown> {
  let out = fields;
  for (const [key, value] of Object.entries(fields)) {
    if (isErrorLike(value) && typeof value.stack === 'string') {
      if (out === fields) out = { ...fields };
      out[key] = redactError(value);
    }
  }
  return out;
}
