import pino, { type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger };

/**
 * Structured JSON logs. Errors are reduced to type, code, message and stack: PostgreSQL errors carry a
 * `detail` that can quote the values of a row, which may be personal data.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'case-audit' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: {
        err: (err: Error & { code?: unknown }) => ({
          type: err.name,
          code: err.code,
          message: err.message,
          stack: err.stack,
        }),
      },
    },
    destination,
  );
}
