import { Transform } from 'node:stream';
import type { CsvLimits } from '../limits';
import { FileRefused, counted, size } from '../refusal';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Measures each record of a CSV file as its bytes pass, before the parser sees them, and refuses the file at
 * the first record past the limits: the parser would otherwise build a row of millions of columns (its own
 * size limit counts the characters of values, not the commas between empty ones). Quotes are followed as
 * RFC 4180 has them (a doubled quote inside quotes is a quote), so commas and line breaks inside quoted
 * values are not counted as separators.
 */
export class CsvShape {
  private line = 1;
  private recordLine = 1;
  private bytes = 0;
  private columns = 1;
  private quoted = false;

  constructor(
    private readonly limits: CsvLimits,
    private readonly sheet?: string,
  ) {}

  check(chunk: Uint8Array): void {
    const { limits } = this;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === LF) this.line++;
      if (byte === QUOTE) this.quoted = !this.quoted;
      else if (!this.quoted && (byte === LF || byte === CR)) {
        this.bytes = 0;
        this.columns = 1;
        this.recordLine = this.line;
        continue;
      } else if (!this.quoted && byte === COMMA && ++this.columns > limits.columns)
        throw this.refuse(
          `has more than ${counted(limits.columns)} columns, the most ${limits.what} may have`,
        );
      if (++this.bytes > limits.lineBytes)
        throw this.refuse(
          `is longer than ${size(limits.lineBytes)}, the most one row of ${limits.what} may be`,
        );
    }
  }

  private refuse(what: string): FileRefused {
    return new FileRefused(`the row on line ${counted(this.recordLine)} ${what}`, {
      sheet: this.sheet,
      line: this.recordLine,
    });
  }
}

/** Passes a CSV stream through unchanged, refusing it at the first record past the limits. */
export function csvShapeGuard(limits: CsvLimits, sheet?: string): Transform {
  const shape = new CsvShape(limits, sheet);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        shape.check(chunk);
        callback(null, chunk);
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}
