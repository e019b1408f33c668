import { parse } from 'csv-parse/sync';
import { CsvShape } from '../../files/csv/shape';
import { restoreCell, toCsv } from '../../files/csv/writer';
import { FRAMEWORK_LIMITS } from '../../files/limits';
import { FileRefused } from '../../files/refusal';
import type { FrameworkProblem } from '../types';
import type { Table } from './layout';

const MARKER = /^\[(.+)\]$/;

/**
 * The tables as one CSV file: each table is a block starting with a [Name] line, then its header row. Cells
 * a spreadsheet would run as formulas are written with a ' in front, which csvToTables takes off again.
 */
export function tablesToCsv(tables: Table[]): string {
  const records = tables.flatMap((table, i) => [
    ...(i > 0 ? [[]] : []),
    [`[${table.name}]`],
    table.header,
    ...table.rows,
  ]);
  return toCsv(records);
}

/** Reads the blocks of a framework CSV, keeping each row's line number; rows past the limits are refused. */
export function csvToTables(
  text: string,
): { ok: true; tables: Table[] } | { ok: false; problems: FrameworkProblem[] } {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    new CsvShape(FRAMEWORK_LIMITS.csv).check(Buffer.from(text));
  } catch (err) {
    if (!(err instanceof FileRefused)) throw err;
    return { ok: false, problems: [{ pointer: `line ${err.position.line}`, message: err.message }] };
  }
  try {
    // With info: true each record comes with where it ends in the file.
    parsed = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as typeof parsed;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return {
      ok: false,
      problems: [
        { pointer: line ? `line ${line}` : '', message: `is not valid CSV: ${(err as Error).message}` },
      ],
    };
  }
  const tables: Table[] = [];
  let current: Table | undefined;
  let expectHeader = false;
  let line = 1;
  for (const { record, info } of parsed) {
    const startLine = line;
    line = info.lines + 1;
    const cells = record.map((cell) => restoreCell(cell ?? ''));
    const empty = cells.every((cell) => cell.trim() === '');
    const marker = MARKER.exec(cells[0]?.trim() ?? '');
    if (marker && cells.slice(1).every((cell) => cell.trim() === '')) {
      current = { name: marker[1] as string, header: [], rows: [], rowNumbers: [] };
      tables.push(current);
      expectHeader = true;
    } else if (empty) {
      continue;
    } else if (!current) {
      return {
        ok: false,
        problems: [
          {
            pointer: `line ${startLine}`,
            message: 'comes before the first table: the file must start with a line such as [Framework]',
          },
        ],
      };
    } else if (expectHeader) {
      current.header = cells;
      expectHeader = false;
    } else {
      current.rows.push(cells);
      current.rowNumbers?.push(startLine);
    }
  }
  return { ok: true, tables };
}
