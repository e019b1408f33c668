const NODE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EHOSTUNREACH']);
/** Operator intervention (shutdown, crash, cannot connect now) and connection exceptions. */
const SQLSTATE_LOST = /^(57P0[1-3]|08...)$/;

/**
 * Whether an error means the connection to PostgreSQL went away (or never came), rather than PostgreSQL
 * refusing the statement: then nobody knows what became of a statement already sent.
 */
export function isConnectionLost(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NODE_CODES.has(code) || SQLSTATE_LOST.test(code))) return true;
  return typeof message === 'string' && /Connection terminated|connection (is )?closed/i.test(message);
}
