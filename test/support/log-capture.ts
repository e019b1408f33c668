import { Writable } from 'node:stream';
import type { LogLevel } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';

/** A logger whose lines (JSON, one per record) are kept in `lines`, for tests that read the log. */
export function capturedLogger(level: LogLevel): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger(level, destination), lines };
}
