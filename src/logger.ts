import pino, { type Logger } from 'pino';
import type { LogLevel } from './config';
import { redactError, redactErrorsIn } from './log-redaction';

export type { Logger };

/**
 * Structured JSON logs. Errors, under `err` or any other key, are reduced to what says what went wrong
 * (src/log-redaction.ts): PostgreSQL errors carry a `detail` and a `where` that can quote the values of a row,
 * which may be case content or personal data.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'case-audit' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: redactError },
      formatters: { log: redactErrorsIn },
    },
    destination,
  );
}
