import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { neutraliseCell, restoreCell, toCsv } from './writer';

const TRIGGER = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Strings that often start with a trigger, a ' or both, and the odd plain number. */
const cell = fc.oneof(
  fc.string(),
  fc
    .tuple(fc.stringMatching(/^'{0,3}$/), fc.constantFrom('=', '+', '-', '@', '\t', '\r', ''), fc.string())
    .map((parts) => parts.join('')),
  fc.double({ noNaN: true }).map(String),
);

describe('the CSV writer', () => {
  it('neutralises text that looks like a number too, when asked (for files whose numbers are numbers)', () => {
    expect(['-5', '+44', 'plain', '=1'].map((cell) => neutraliseCell(cell, { everyTrigger: true }))).toEqual([
      "'-5",
      "'+44",
      'plain',
      "'=1",
    ]);
    expect(toCsv([['+1', 5, -5]], { everyTrigger: true })).toBe("'+1,5,-5\n");
  });

  it('neutralises formulas and leaves plain text and numbers alone', () => {
    expect(
      ['=1+1', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx', "'=x"].map((cell) => neutraliseCell(cell)),
    ).toEqual(["'=1+1", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "''=x"]);
    expect(['-5', '+44', '-1.5e3', "'quoted'", 'plain', ''].map((cell) => neutraliseCell(cell))).toEqual([
      '-5',
      '+44',
      '-1.5e3',
      "'quoted'",
      'plain',
      '',
    ]);
  });

  it('writes no cell a spreadsheet would run, and the framework reader gets every cell back exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (records) => {
          const written: string[][] = parse(toCsv(records), { relax_column_count: true });
          expect(written.flat().filter((c) => TRIGGER.test(c) && !PLAIN_NUMBER.test(c))).toEqual([]);
          expect(written.map((record) => record.map(restoreCell))).toEqual(records);
        },
      ),
    );
  });

  it('writes numbers and empty cells as csv-stringify does', () => {
    expect(toCsv([['a', 1, -2, null, undefined, true]])).toBe('a,1,-2,,,1\n');
  });
});
