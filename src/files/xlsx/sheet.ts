import type { WorkbookLimits } from '../limits';
import { damagedWorkbook, FileRefused, counted } from '../refusal';
import { EXCEL_COLUMNS, columnName, columnOf, excelDate, type WorkbookCell } from './cells';
import { StringItem } from './string-item';
import { parseXml } from './xml';

/** A row of a sheet: its number (1 for the first row) and its cells from column A, null where empty. */
export interface SheetRow {
  number: number;
  cells: WorkbookCell[];
}

/** What reading a sheet needs from the rest of the workbook. */
export interface SheetContext {
  name: string;
  part: string;
  limits: WorkbookLimits;
  sharedStrings: readonly string[];
  dateStyles: readonly boolean[];
  date1904: boolean;
  /** Counts a cell (in this row) against the workbook's limit. */
  countCell(row: number): void;
}

/** The value of a cell, from its type (`t`), the text of its <v>, and its inline string. */
function valueOf(
  type: string | undefined,
  v: string | undefined,
  inline: string | undefined,
  isDate: boolean,
  ctx: SheetContext,
): WorkbookCell {
  if (type === 'inlineStr') return inline ?? null;
  if (v === undefined) return null;
  switch (type) {
    case 's': {
      const text = ctx.sharedStrings[Number(v)];
      if (text === undefined) throw damagedWorkbook(`a cell refers to a missing text`);
      return text;
    }
    case 'str':
      return v;
    case 'b':
      return v === '1' || v.toLowerCase() === 'true';
    case 'e':
      return { error: v };
    case 'd': {
      const date = new Date(v);
      return Number.isNaN(date.getTime()) ? v : date;
    }
    default: {
      if (v.trim() === '') return null;
      const number = Number(v);
      if (!Number.isFinite(number)) return v;
      return isDate ? excelDate(number, ctx.date1904) : number;
    }
  }
}

/**
 * Reads a sheet a row at a time as it is unpacked: a row is handed on when its end tag is parsed, so
 * memory holds one chunk of the part and the rows it completed, never the sheet. Rows and cells without
 * references (as some writers save them) follow the one before. Limits are checked as the rows come.
 */
export async function* sheetRows(chunks: AsyncIterable<Buffer>, ctx: SheetContext): AsyncGenerator<SheetRow> {
  const { limits } = ctx;
  const ready: SheetRow[] = [];
  let rows = 0;
  let cellsInSheet = 0;
  let row: SheetRow | undefined;
  let rowNumber = 0;
  let column = 0;
  let cell: { type?: string; isDate: boolean; v?: string; inline?: string } | undefined;
  let inValue = false;
  let inInline = false;
  const where = () => `the sheet "${ctx.name}" row ${rowNumber} column ${columnName(column)}`;
  const refuse = (what: string) =>
    new FileRefused(`the sheet "${ctx.name}" has ${what}`, { sheet: ctx.name, line: rowNumber });
  const inline = new StringItem(limits.cellCharacters, where, () => ({ sheet: ctx.name, line: rowNumber }));

  const handlers = {
    open(name: string, attributes: Record<string, string>) {
      if (name === 'row') {
        const r = attributes.r;
        rowNumber = r === undefined ? rowNumber + 1 : Number(r);
        if (!Number.isInteger(rowNumber) || rowNumber < 1)
          throw damagedWorkbook(`the sheet "${ctx.name}" has a row numbered "${r}"`);
        if (++rows > limits.rowsPerSheet)
          throw refuse(`more than ${counted(limits.rowsPerSheet)} rows, the most ${limits.what} may have`);
        row = { number: rowNumber, cells: [] };
        column = 0;
      } else if (name === 'c' && row) {
        if (++cellsInSheet > limits.cellsPerSheet)
          throw refuse(`more than ${counted(limits.cellsPerSheet)} cells, the most ${limits.what} may have`);
        ctx.countCell(rowNumber);
        const r = attributes.r;
        const next = r === undefined ? column + 1 : columnOf(r);
        if (next === undefined || next > EXCEL_COLUMNS)
          throw damagedWorkbook(`the sheet "${ctx.name}" has a cell "${r ?? ''}"`);
        column = next;
        cell = {
          type: attributes.t,
          isDate: ctx.dateStyles[Number(attributes.s ?? 0)] === true,
        };
      } else if (cell) {
        if (name === 'v') inValue = true;
        else if (name === 'is') inInline = true;
        else if (inInline) inline.open(name);
      }
    },
    close(name: string) {
      if (name === 'row' && row) {
        ready.push(row);
        row = undefined;
      } else if (name === 'c' && row && cell) {
        const value = valueOf(cell.type, cell.v, cell.inline, cell.isDate, ctx);
        cell = undefined;
        if (value === null) return;
        if (column > limits.columns)
          throw refuse(
            `a value in column ${columnName(column)} of row ${rowNumber}: ${limits.what} may have at most ${counted(limits.columns)} columns`,
          );
        row.cells[column - 1] = value;
      } else if (cell) {
        if (name === 'v') inValue = false;
        else if (name === 'is') {
          inInline = false;
          cell.inline = inline.take();
        } else if (inInline) inline.close(name);
      }
    },
    text(text: string) {
      if (!cell) return;
      if (inValue) {
        cell.v = (cell.v ?? '') + text;
        if (cell.v.length > limits.cellCharacters) throw inline.tooLong();
      } else if (inInline) inline.text(text);
    },
  };

  for await (const _ of parseXml(chunks, handlers, ctx.part)) {
    for (const done of ready.splice(0))
      yield { number: done.number, cells: Array.from(done.cells, (c) => c ?? null) };
  }
}
