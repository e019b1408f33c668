import { pipeline, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { csvShapeGuard } from '../files/csv/shape';
import { CASE_LIST_LIMITS } from '../files/limits';
import { checkUnzippedSize } from '../files/zip-guard';
import type { Cell } from './values';

/** The most a case-list workbook may unpack to: far beyond a real Annex A return, short of exhausting memory. */
export const XLSX_UNPACKED_MAX_MB = 500;

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

/** What a workbook cell holds, as a Cell (formulas give their result; rich text its text). */
function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || value instanceof Date) return value as Cell;
  const v = value as Record<string, unknown>;
  if ('error' in v) return { error: String(v.error) };
  if ('richText' in v) return (v.richText as { text: string }[]).map((part) => part.text).join('');
  if ('result' in v) return cellOf(v.result);
  if ('text' in v) return cellOf(v.text);
  return null;
}

/**
 * Reads an XLSX workbook sheet by sheet, row by row. The workbook is read whole (exceljs's streaming reader
 * loses text cells when a workbook stores its sheets before its shared strings, as Annex A workbooks do),
 * so workbooks are limited in size, packed and unpacked; CSV streams whatever the size. exceljs is loaded
 * only when needed.
 */
export async function* readXlsx(input: Readable): AsyncGenerator<SheetEvent> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(chunk as Buffer);
  const data = Buffer.concat(chunks);
  await checkUnzippedSize(data, XLSX_UNPACKED_MAX_MB * 1048576);
  const { Workbook } = (await import('exceljs')).default;
  const workbook = new Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  for (const sheet of workbook.worksheets) {
    let headerSeen = false;
    for (let n = 1; n <= sheet.rowCount; n++) {
      const values = (sheet.getRow(n).values as unknown[]).slice(1).map(cellOf);
      if (isBlank(values)) continue;
      if (!headerSeen) {
        headerSeen = true;
        yield { type: 'sheet', name: sheet.name, header: values, line: n };
      } else {
        yield { type: 'row', line: n, cells: values };
      }
    }
  }
}
