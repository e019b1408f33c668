import { BOLD, REGULAR } from './fonts';
import {
  addElement,
  addGroup,
  artifact,
  bottom,
  contentWidth,
  ensureSpace,
  left,
  type Flow,
  typeset,
} from './flow';
import type { Table } from './model';
import { BLOCK_GAP, BODY_SIZE, BORDER, LINE_GAP, TABLE_SIZE, TEXT } from './style';

const PAD_X = 5;
const PAD_Y = 4;
const MAX_EXTRA = 36;

interface Layout {
  widths: number[];
  xs: number[];
  width: number;
}

function measureWidth(doc: PDFKit.PDFDocument, text: string, bold: boolean): number {
  return doc
    .font(bold ? BOLD : REGULAR)
    .fontSize(TABLE_SIZE)
    .widthOfString(text);
}

function longestWord(doc: PDFKit.PDFDocument, text: string, bold: boolean): number {
  return Math.max(0, ...text.split(/\s+/).map((word) => measureWidth(doc, word, bold)));
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Widths wanted by each column: the widest of what `width` gives for each of its cells. */
function columnWidths(
  doc: PDFKit.PDFDocument,
  table: Table,
  width: (doc: PDFKit.PDFDocument, text: string, bold: boolean) => number,
  header: (doc: PDFKit.PDFDocument, text: string, bold: boolean) => number = width,
): number[] {
  const rowHeader = (column: number) => column === 0 && table.rowHeaders === true;
  return table.columns.map(
    (column, c) =>
      Math.max(
        header(doc, column.header, true),
        ...table.rows.map((cells) => width(doc, cells[c] ?? '', rowHeader(c))),
      ) +
      2 * PAD_X +
      1,
  );
}

/** Widens columns from `from` towards `to`, sharing `space` in proportion to what each still wants. */
function widen(from: number[], to: number[], space: number): number[] {
  const wants = to.map((t, i) => Math.max(0, t - from[i]!));
  const total = sum(wants) || 1;
  return from.map((f, i) => f + Math.min(wants[i]!, (space * wants[i]!) / total));
}

/**
 * Column widths: each column's widest text where everything fits on one line; otherwise wrapping headers
 * first, then cells, down to each column's longest word.
 */
function layout(doc: PDFKit.PDFDocument, table: Table): Layout {
  const available = contentWidth(doc);
  const natural = columnWidths(doc, table, measureWidth);
  const wrappedHeaders = columnWidths(doc, table, measureWidth, longestWord);
  const minimum = columnWidths(doc, table, longestWord);
  let widths: number[];
  if (sum(natural) <= available) {
    // Spare width widens each column a little, not so much that a row's cells drift apart.
    const extra = Math.min(MAX_EXTRA, (available - sum(natural)) / natural.length);
    widths = natural.map((w) => w + extra);
  } else if (sum(wrappedHeaders) <= available) {
    widths = widen(wrappedHeaders, natural, available - sum(wrappedHeaders));
  } else {
    widths = widen(minimum, wrappedHeaders, Math.max(0, available - sum(minimum)));
  }
  const xs: number[] = [];
  widths.reduce((x, w) => (xs.push(x), x + w), left(doc));
  return { widths, xs, width: sum(widths) };
}

function rowHeight(
  doc: PDFKit.PDFDocument,
  cells: string[],
  boldAt: (column: number) => boolean,
  grid: Layout,
) {
  const heights = grid.widths.map((width, c) =>
    doc
      .font(boldAt(c) ? BOLD : REGULAR)
      .fontSize(TABLE_SIZE)
      .heightOfString(cells[c] ?? '', { width: width - 2 * PAD_X, lineGap: LINE_GAP }),
  );
  return Math.max(...heights) + 2 * PAD_Y;
}

function cellText(
  doc: PDFKit.PDFDocument,
  table: Table,
  grid: Layout,
  c: number,
  text: string,
  y: number,
  bold: boolean,
) {
  typeset(doc, bold ? BOLD : REGULAR, TABLE_SIZE, TEXT).text(text, grid.xs[c]! + PAD_X, y + PAD_Y, {
    width: grid.widths[c]! - 2 * PAD_X,
    align: table.columns[c]!.align,
    lineGap: LINE_GAP,
  });
}

function rule(doc: PDFKit.PDFDocument, grid: Layout, y: number, thickness: number) {
  const x = left(doc);
  doc
    .moveTo(x, y)
    .lineTo(x + grid.width, y)
    .lineWidth(thickness)
    .stroke(BORDER);
}

/**
 * A table: Caption, then THead with one row of column headers (TH, scope Column), then TBody with a row
 * for each data row (its first cell a TH of scope Row where the table has row headers). A row never splits;
 * on each new page the header row is drawn again as an artifact, so it is read once.
 */
export function renderTable(flow: Flow, table: Table): void {
  const { doc } = flow;
  const grid = layout(doc, table);
  const headers = table.columns.map((column) => column.header);
  const headerHeight = rowHeight(doc, headers, () => true, grid);
  const isRowHeader = (c: number) => c === 0 && table.rowHeaders === true;
  const heights = table.rows.map((cells) => rowHeight(doc, cells, isRowHeader, grid));
  const captionHeight =
    doc.font(BOLD).fontSize(BODY_SIZE).heightOfString(table.caption, { lineGap: LINE_GAP }) + 4;
  // A short table is kept on one page; a longer one starts with at least its header and a row.
  const whole = captionHeight + headerHeight + heights.reduce((a, b) => a + b, 0);
  const pageHeight = bottom(doc) - doc.page.margins.top;
  ensureSpace(doc, whole <= pageHeight / 3 ? whole : captionHeight + headerHeight + (heights[0] ?? 0));

  const tableFlow = addGroup(flow, 'Table');
  addElement(tableFlow, 'Caption', {}, () => {
    typeset(doc, BOLD, BODY_SIZE, TEXT).text(table.caption, left(doc), doc.y, { lineGap: LINE_GAP });
  });
  doc.y += 4;

  const drawHeader = (row: Flow | null) => {
    const y = doc.y;
    headers.forEach((header, c) => {
      const draw = () => cellText(doc, table, grid, c, header, y, true);
      if (row) addElement(row, 'TH', { scope: 'Column' }, draw);
      else draw();
    });
    doc.y = y + headerHeight;
  };
  const headerRule = () => rule(doc, grid, doc.y, 1.5);
  const head = addGroup(tableFlow, 'THead');
  const headRow = addGroup(head, 'TR');
  drawHeader(headRow);
  artifact(doc, 'Layout', headerRule);
  headRow.parent.end();
  head.parent.end();

  const body = addGroup(tableFlow, 'TBody');
  table.rows.forEach((cells, r) => {
    const height = heights[r]!;
    if (doc.y + height > bottom(doc)) {
      doc.addPage();
      artifact(doc, 'Pagination', () => {
        drawHeader(null);
        headerRule();
      });
    }
    const y = doc.y;
    const row = addGroup(body, 'TR');
    table.columns.forEach((_, c) => {
      const type = isRowHeader(c) ? 'TH' : 'TD';
      addElement(row, type, isRowHeader(c) ? { scope: 'Row' } : {}, () =>
        cellText(doc, table, grid, c, cells[c] ?? '', y, isRowHeader(c)),
      );
    });
    row.parent.end();
    artifact(doc, 'Layout', () => rule(doc, grid, y + height, 0.75));
    doc.y = y + height;
  });
  body.parent.end();
  tableFlow.parent.end();
  doc.x = left(doc);
  doc.y += BLOCK_GAP;
}
