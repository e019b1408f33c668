import type { DestinationStream } from 'pino';

/**
 * Log lines for people at a terminal: `14:02:07 INFO  message  key=value`, an error's stack below it. It
 * formats what pino has already serialised, so it prints exactly what the JSON would hold: errors are
 * already redacted (src/log-redaction.ts) and nothing is added.
 */

const LEVELS: Record<number, { name: string; colour: number }> = {
  10: { name: 'TRACE', colour: 90 },
  20: { name: 'DEBUG', colour: 90 },
  30: { name: 'INFO', colour: 32 },
  40: { name: 'WARN', colour: 33 },
  50: { name: 'ERROR', colour: 31 },
  60: { name: 'FATAL', colour: 31 },
};

/** Said by the level, the time and the message, or the same on every line. */
const OMITTED = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

interface ErrorFields {
  type?: unknown;
  message?: unknown;
  stack?: unknown;
}

function paint(text: string, code: number, colour: boolean): string {
  return colour ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function clock(time: unknown): string {
  const date = new Date(typeof time === 'string' || typeof time === 'number' ? time : Date.now());
  return Number.isNaN(date.getTime()) ? '--:--:--' : date.toTimeString().slice(0, 8);
}

function value(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

/** A request line reads as a sentence: `request completed GET /cases 200 (12 ms)`. */
function requestSummary(record: Record<string, unknown>): string | undefined {
  const req = record.req as { method?: unknown; path?: unknown } | undefined;
  const res = record.res as { statusCode?: unknown } | undefined;
  if (!req || typeof req !== 'object') return undefined;
  const status = res && typeof res === 'object' ? ` ${String(res.statusCode)}` : '';
  const time = typeof record.responseTime === 'number' ? ` (${record.responseTime} ms)` : '';
  return `${String(req.method)} ${String(req.path)}${status}${time}`;
}

/** One record as one line (and an error's stack under it), without the trailing newline. */
export function formatLogRecord(record: Record<string, unknown>, colour = false): string {
  const level = LEVELS[record.level as number] ?? { name: String(record.level), colour: 0 };
  const request = requestSummary(record);
  const skip = new Set([...OMITTED, ...(request ? ['req', 'res', 'responseTime'] : [])]);
  const errors = Object.entries(record).filter(
    ([key, v]) => !skip.has(key) && typeof v === 'object' && v !== null && 'stack' in v,
  );
  const message = typeof record.msg === 'string' ? record.msg : '';
  const fields = Object.entries(record)
    .filter(([key]) => !skip.has(key) && !errors.some(([errorKey]) => errorKey === key))
    // Undefined, or text the message already says (the address in "Case Audit is running at …").
    .filter(([, v]) => v !== undefined && !(typeof v === 'string' && v !== '' && message.includes(v)))
    .map(([key, v]) => `${key}=${value(v)}`);
  const head = [
    paint(clock(record.time), 90, colour),
    paint(level.name.padEnd(5), level.colour, colour),
    [record.msg, request].filter(Boolean).join(' '),
  ].join(' ');
  const line = fields.length > 0 ? `${head}  ${paint(fields.join(' '), 90, colour)}` : head;
  const stacks = errors.map(([key, err]) => {
    const { type, message, stack } = err as ErrorFields;
    const text = typeof stack === 'string' ? stack : `${String(type)}: ${String(message)}`;
    return `  ${key}: ${text.split('\n').join('\n    ')}`;
  });
  return [line, ...stacks].join('\n');
}

/** A pino destination writing each JSON line as formatted text to `out` (a line it cannot parse, as is). */
export function prettyDestination(
  out: DestinationStream & { isTTY?: boolean } = process.stdout,
): DestinationStream {
  const colour = Boolean(out.isTTY) && !process.env.NO_COLOR;
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      out.write(`${formatLogRecord(record, colour)}\n`);
    },
  };
}
