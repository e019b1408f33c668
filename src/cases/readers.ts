import { pipeline, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { csvShapeGuard } from '../files/csv/shape';
import { CASE_LIST_LIMITS } from '../files/limits';
import { Workbook, readAtMost } from '../files/xlsx/workbook';
import type { Cell } from './values';

/** A sheet starts (its header row), or a row of it. Line numbers are CSV lines or sheet rows. */
export type SheetEvent =
  | { type: 'sheet'; name: string; header: Cell[]; line: number }
  | { type: 'row'; line: number; cells: Cell[] };

/** No value at all (an Excel error counts as a value: a row of them must be reported, not skipped). */
const isBlank = (cells: readonly Cell[]) =>
  cells.every(
    (cell) => cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === ''),
  );

/**
 * Streams a CSV file: UTF-8 with or without a BOM, CRLF or LF, quoted fields with commas and newlines, blank
 * lines anywhere. Memory stays flat whatever the size: a row past the limits on columns and length is
 * refused before it is built. The first non-blank row is the header.
 */
export async function* readCsv(input: Readable, name: string): AsyncGenerator<SheetEvent> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, info: true });
  // pipeline, not pipe: a refusal by the guard (or a failed upload) must end the parser with its error.
  pipeline(input, csvShapeGuard(CASE_LIST_LIMITS.csv, name), parser, () => {});
  let line = 1;
  let headerSeen = false;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    const start = line;
    line = info.lines + 1;
    if (isBlank(record)) continue;
    if (!headerSeen) {
      headerSeen = true;
      yield { type: 'sheet', name, header: record, line: start };
    } else {
      yield { type: 'row', line: start, cells: record };
    }
  }
}

/**
 * Reads an XLSX workbook sheet by sheet, row by row, as each row is unpacked (see src/files/xlsx). The zip
 * is read by random access, so it is held in memory: its size is bounded, and so is everything it unpacks
 * to; CSV streams whatever the size.
 */
export async function* readXlsx(input: Readable): AsyncGenerator<SheetEvent> {
  const limits = CASE_LIST_LIMITS.xlsx;
  const workbook = await Workbook.open(
    await readAtMost(input as AsyncIterable<Buffer>, limits.packedBytes, 'the workbook'),
    limits,
  );
  for (const sheet of workbook.sheets) {
    let headerSeen = false;
    for await (const { number, cells } of workbook.rows(sheet)) {
      if (isBlank(cells)) continue;
      if (!headerSeen) {
        headerSeen = true;
        yield { type: 'sheet', name: sheet.name, header: cells, line: number };
      } else {
        yield { type: 'row', line: number, cells };
      }
    }
  }
}
