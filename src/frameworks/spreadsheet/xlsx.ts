import { checkUnzippedSize } from '../../files/zip-guard';
import type ExcelJS from 'exceljs';
import type { FrameworkProblem } from '../types';
import type { Table } from './layout';

/** exceljs takes a quarter of a second and 29 MB to load: only when a workbook is actually read or written. */
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

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value as { result?: ExcelJS.CellValue }).result);
  if ('hyperlink' in value) return cellText((value as { text?: ExcelJS.CellValue }).text);
  return '';
}

/** The most a framework workbook may unpack to (a real one is well under 1 MB). */
const FRAMEWORK_XLSX_UNPACKED_MAX_MB = 50;

/** Reads every sheet of a workbook as a table: row 1 is the header; empty rows are skipped. */
export async function xlsxToTables(
  data: Buffer,
): Promise<{ ok: true; tables: Table[] } | { ok: false; problems: FrameworkProblem[] }> {
  const { Workbook } = await loadExcel();
  const workbook = new Workbook();
  try {
    await checkUnzippedSize(data, FRAMEWORK_XLSX_UNPACKED_MAX_MB * 1048576);
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch (err) {
    return {
      ok: false,
      problems: [{ pointer: '', message: `is not a readable XLSX workbook: ${(err as Error).message}` }],
    };
  }
  const tables = workbook.worksheets.map((sheet) => {
    const width = Math.max(sheet.columnCount, 1);
    const rowCells = (n: number) =>
      Array.from({ length: width }, (_, c) => cellText(sheet.getRow(n).getCell(c + 1).value));
    const table: Table = { name: sheet.name, header: rowCells(1), rows: [], rowNumbers: [] };
    for (let n = 2; n <= sheet.rowCount; n++) {
      const cells = rowCells(n);
      if (cells.every((cell) => cell.trim() === '')) continue;
      table.rows.push(cells);
      table.rowNumbers?.push(n);
    }
    return table;
  });
  return { ok: true, tables };
}
