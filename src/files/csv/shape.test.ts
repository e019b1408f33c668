import type { CsvLimits } from '../limits';
import { FileRefused } from '../refusal';
import { CsvShape } from './shape';

const LIMITS: CsvLimits = { what: 'a test file', lineBytes: 20, columns: 3 };

/** The refusal of the text fed in the given pieces, or undefined when it passes. */
function refusal(...pieces: string[]): { message: string; line?: number } | undefined {
  const shape = new CsvShape(LIMITS, 'test.csv');
  try {
    for (const piece of pieces) shape.check(Buffer.from(piece));
  } catch (err) {
    if (!(err instanceof FileRefused)) throw err;
    return { message: err.message, line: err.position.line };
  }
  return undefined;
}

describe('the CSV shape check', () => {
  it('lets through rows within the limits, however the file is split into chunks', () => {
    expect(refusal('a,b,c\n1,2,3\r\n\n', 'x,', 'y,z\n')).toBeUndefined();
  });

  it('does not count commas and line breaks inside quoted values, nor doubled quotes', () => {
    expect(refusal('"a,b,c,d","x\n,y",z\n')).toBeUndefined();
    expect(refusal('"say ""a,b,c,d""",1\n')).toBeUndefined();
  });

  it('refuses the first row with too many columns, naming the line it starts on', () => {
    expect(refusal('a,b,c\n"1\n2",2,3,4\n')).toEqual({
      message: 'the row on line 2 has more than 3 columns, the most a test file may have',
      line: 2,
    });
    expect(refusal('a\n\n', ',,', ',\n')?.line).toBe(3);
  });

  it('refuses a row longer than the limit, quoted or not, even with no line end at all', () => {
    expect(refusal('a\n', 'x'.repeat(21))).toEqual({
      message: 'the row on line 2 is longer than 20 bytes, the most one row of a test file may be',
      line: 2,
    });
    expect(refusal('"', 'x\n'.repeat(10), '"\n')?.line).toBe(1);
  });
});
