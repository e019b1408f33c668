import type ExcelJS from 'exceljs';
import { FRAMEWORK_LIMITS } from '../../files/limits';
import { FileRefused } from '../../files/refusal';
import { Workbook, type SheetRow, type WorkbookCell } from '../../files/xlsx/workbook';
import type { FrameworkProblem } from '../types';
import type { Table } from './layout';

/** exceljs takes a quarter of a second and 29 MB to load: only when a workbook is actually written. */
async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

const WIDE_COLUMNS = new Set([
  'value',
  'text',
  'guidance',
  'descriptor',
  'options',
  'scale description',
  'title',
  'relevant when',
  'action',
  'action difference',
]);

/** The tables as an XLSX workbook, one sheet each, with a bold frozen header row and wrapped long text. */
export async function tablesToXlsx(tables: Table[]): Promise<Buffer> {
  const { Workbook } = await loadExcel();
  const workbook = new Workbook();
  workbook.creator = 'Case Audit';
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.header.map((header) => ({
      header,
      key: header,
      width: WIDE_COLUMNS.has(header) ? 60 : 18,
      style: { alignment: { wrapText: true, vertical: 'top' } },
    }));
    sheet.getRow(1).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function cellText(value: WorkbookCell | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') return '';
  return String(value);
}

/** A sheet as a table: row 1 is the header; empty rows are skipped; every row as wide as the widest. */
function tableOf(name: string, rows: SheetRow[]): Table {
  const width = rows.reduce((widest, row) => Math.max(widest, row.cells.length), 1);
  const cellsOf = (row: SheetRow | undefined) =>
    Array.from({ length: width }, (_, c) => cellText(row?.cells[c]));
  const table: Table = {
    name,
    header: cellsOf(rows.find((row) => row.number === 1)),
    rows: [],
    rowNumbers: [],
  };
  for (const row of [...rows].sort((a, b) => a.number - b.number)) {
    const cells = cellsOf(row);
    if (row.number < 2 || cells.every((cell) => cell.trim() === '')) continue;
    table.rows.push(cells);
    table.rowNumbers?.push(row.number);
  }
  return table;
}

/** Reads every sheet of a workbook as a table, within the limits for framework workbooks. */
export async function xlsxToTables(
  data: Buffer,
): Promise<{ ok: true; tables: Table[] } | { ok: false; problems: FrameworkProblem[] }> {
  try {
    const workbook = await Workbook.open(data, FRAMEWORK_LIMITS.xlsx);
    const tables: Table[] = [];
    for (const sheet of workbook.sheets) {
      const rows: SheetRow[] = [];
      for await (const row of workbook.rows(sheet)) rows.push(row);
      tables.push(tableOf(sheet.name, rows));
    }
    return { ok: true, tables };
  } catch (err) {
    if (!(err instanceof FileRefused)) throw err;
    const { sheet, line } = err.position;
    return {
      ok: false,
      problems: [
        {
          pointer: sheet ? `${sheet}${line ? ` row ${line}` : ''}` : '',
          message: `is not a readable XLSX workbook: ${err.message}`,
        },
      ],
    };
  }
}
