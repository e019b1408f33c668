import type ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { neutraliseCell, toCsv } from '../files/csv/writer';
import type { Cell } from './columns';
import type { Download } from './service';

/**
 * An export written as a file, a page of rows at a time: CSV through the one CSV writer, XLSX through
 * exceljs's streaming writer. Every text cell is neutralised the same way (a ' before =, +, -, @, a tab or a
 * carriage return), and written as text, never as a formula.
 */

/** Tells Excel the CSV is UTF-8 (without it, Excel reads it in the computer's own code page). */
const BYTE_ORDER_MARK = '\uFEFF';

/** The CSV file, in pieces: the header row, then each page of rows. */
export async function* csvChunks(download: Download): AsyncGenerator<string> {
  yield BYTE_ORDER_MARK + toCsv([download.columns.map((c) => c.key)]);
  for await (const page of download.pages()) if (page.length > 0) yield toCsv(page, { everyTrigger: true });
}

/** exceljs takes a quarter of a second and 29 MB to load: only when a workbook is actually written. */
async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

/**
 * A cell as exceljs writes it: text neutralised (a plain string, never a formula), its line ends as LF (XML
 * reads a bare carriage return as one anyway), numbers as numbers.
 */
const xlsxCell = (cell: Cell) =>
  typeof cell === 'string' ? neutraliseCell(cell, { everyTrigger: true }).replace(/\r\n?/g, '\n') : cell;

/** Resolves once `out` has room again, or has closed (the reader went away). */
function drained(out: Writable): Promise<void> {
  if (!out.writableNeedDrain || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * The XLSX workbook, written to `out` as it is made: the "Audit results" sheet (a bold, frozen header row,
 * then each audit) and a "Columns" sheet saying what each column holds. Waits for `out` to drain between
 * pages, so a slow reader does not make the rows pile up in memory; stops when `out` closes early.
 */
export async function writeXlsx(download: Download, out: Writable): Promise<void> {
  const { stream } = await loadExcel();
  const workbook = new stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Case Audit';
  const results = workbook.addWorksheet('Audit results', { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = results.addRow(download.columns.map((c) => c.key));
  header.font = { bold: true };
  header.commit();
  for await (const page of download.pages()) {
    for (const cells of page) results.addRow(cells.map(xlsxCell)).commit();
    await drained(out);
    if (out.destroyed) return;
  }
  results.commit();
  const about = workbook.addWorksheet('Columns');
  about.columns = [{ width: 40 }, { width: 80 }];
  const aboutHeader = about.addRow(['column', 'description']);
  aboutHeader.font = { bold: true };
  aboutHeader.commit();
  for (const column of download.columns) about.addRow([column.key, xlsxCell(column.description)]).commit();
  about.commit();
  await workbook.commit();
}
