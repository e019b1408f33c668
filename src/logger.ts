import pino, { type Logger } from 'pino';
import type { LogFormat, LogLevel } from './config';
import { prettyDestination } from './log-format';
import { redactError, redactErrorsIn } from './log-redaction';

export type { Logger };

/**
 * Structured logs: JSON lines, or (`pretty`, the default outside production) the same records as lines for
 * people (src/log-format.ts). Errors, under `err` or any other key, are reduced to what says what went wrong
 * (src/log-redaction.ts): PostgreSQL errors carry a `detail` and a `where` that can quote the values of a
 * row, which may be case content or personal data.
 */
export function createLogger(
  level: LogLevel,
  destination?: pino.DestinationStream,
  format: LogFormat = 'json',
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'case-audit' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: redactError },
    formatters: { log: redactErrorsIn },
  };
  if (format === 'pretty') return pino(options, prettyDestination(destination));
  return pino(options, destination);
}
