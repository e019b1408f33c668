import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer: every CSV file the service writes goes through it. A spreadsheet opening the file
 * runs a cell that starts with =, +, -, @, a tab or a carriage return as a formula (CSV injection), so such
 * a cell is written with a ' in front, which makes it text. Plain numbers such as -5 stay as they are.
 * Cells that already start with ' before one of those characters get one more, so the framework CSV
 * reader can take exactly one off (see restoreCell) and the round trip is exact.
 */

const TRIGGERED = /^'*[=+\-@\t\r]/;
const WRITTEN_TRIGGERED = /^'+[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export type CsvValue = string | number | boolean | null | undefined;

/**
 * A cell as it is written: neutralised when a spreadsheet would run it. `everyTrigger` neutralises text that
 * looks like a plain number too ("+1", "-5"): for files whose numbers are written as numbers, where such a
 * text cell is what somebody typed, not a number.
 */
export function neutraliseCell(cell: string, options: { everyTrigger?: boolean } = {}): string {
  return TRIGGERED.test(cell) && (options.everyTrigger || !PLAIN_NUMBER.test(cell)) ? `'${cell}` : cell;
}

/** A cell as it was before neutraliseCell: one ' taken off a cell that starts with ' before a trigger. */
export function restoreCell(cell: string): string {
  return WRITTEN_TRIGGERED.test(cell) ? cell.slice(1) : cell;
}

/** Records as a CSV file: comma-separated, quoted where needed, LF line ends. */
export function toCsv(
  records: readonly (readonly CsvValue[])[],
  options: { everyTrigger?: boolean } = {},
): string {
  return stringify(
    records.map((record) =>
      record.map((cell) => (typeof cell === 'string' ? neutraliseCell(cell, options) : cell)),
    ),
    // A lone carriage return is quoted too: a reader guessing the line ends would take it for one.
    { record_delimiter: '\n', quoted_match: /\r/ },
  );
}
