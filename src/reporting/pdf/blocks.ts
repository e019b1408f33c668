import { drawScene, pdfChartScene } from './charts';
import { BOLD, REGULAR } from './fonts';
import {
  addElement,
  addGroup,
  artifact,
  atTopOfPage,
  contentWidth,
  ensureSpace,
  left,
  type Flow,
  typeset,
} from './flow';
import type { BulletList, Figure, Heading, KeyFigures, Paragraph, TextRun } from './model';
import {
  BLOCK_GAP,
  BODY_SIZE,
  BRAND,
  CARD_BACKGROUND,
  HEADING_SIZE,
  HEADING_SPACE,
  LINE_GAP,
  SECONDARY_TEXT,
  SMALL_SIZE,
  TEXT,
} from './style';
import { renderTable } from './table';

export function renderHeading(flow: Flow, heading: Heading): void {
  const { doc } = flow;
  const size = HEADING_SIZE[heading.level];
  const height = doc
    .font(BOLD)
    .fontSize(size)
    .heightOfString(heading.text, { width: contentWidth(doc) });
  // Keep a heading with a few lines of what follows it.
  ensureSpace(doc, HEADING_SPACE[heading.level] + height + 4 * BODY_SIZE);
  if (!atTopOfPage(doc)) doc.y += HEADING_SPACE[heading.level];
  addElement(flow, `H${heading.level}`, {}, () => {
    typeset(doc, BOLD, size, TEXT).text(heading.text, left(doc), doc.y, { width: contentWidth(doc) });
  });
  doc.y += heading.level === 1 ? 8 : 4;
}

function runs(text: Paragraph['text']): TextRun[] {
  return typeof text === 'string' ? [{ text }] : text;
}

function writeRuns(doc: PDFKit.PDFDocument, parts: TextRun[], x: number, width: number): void {
  parts.forEach((run, i) => {
    typeset(doc, run.bold ? BOLD : REGULAR, BODY_SIZE, TEXT);
    const options = { width, lineGap: LINE_GAP, continued: i < parts.length - 1 };
    if (i === 0) doc.text(run.text, x, doc.y, options);
    else doc.text(run.text, options);
  });
}

export function renderParagraph(flow: Flow, paragraph: Paragraph): void {
  const { doc } = flow;
  ensureSpace(doc, 2 * (BODY_SIZE + LINE_GAP) * 1.3);
  addElement(flow, 'P', {}, () => writeRuns(doc, runs(paragraph.text), left(doc), contentWidth(doc)));
  doc.y += BLOCK_GAP;
}

const BULLET_INDENT = 16;

/** L of LI, each a Lbl (the bullet) and an LBody (the item's text). */
export function renderList(flow: Flow, list: BulletList): void {
  const { doc } = flow;
  const x = left(doc);
  const width = contentWidth(doc) - BULLET_INDENT;
  const group = addGroup(flow, 'L');
  group.parent.dictionary.data.A = { O: 'List', ListNumbering: 'Disc' };
  for (const item of list.items) {
    const height = doc.font(REGULAR).fontSize(BODY_SIZE).heightOfString(item, { width, lineGap: LINE_GAP });
    ensureSpace(doc, Math.min(height, 3 * BODY_SIZE));
    const y = doc.y;
    const li = addGroup(group, 'LI');
    addElement(li, 'Lbl', {}, () => {
      typeset(doc, REGULAR, BODY_SIZE, TEXT).text('•', x + 4, y, { lineBreak: false });
    });
    addElement(li, 'LBody', {}, () => writeRuns(doc, [{ text: item }], x + BULLET_INDENT, width));
    li.parent.end();
    doc.y += 3;
  }
  group.parent.end();
  doc.x = x;
  doc.y += BLOCK_GAP - 3;
}

const CARD_GAP = 10;
const CARD_PAD = 10;
const VALUE_SIZE = 22;

/** Cards side by side, at most three a row; each a Div of its label, value and note. */
export function renderKeyFigures(flow: Flow, block: KeyFigures): void {
  const { doc } = flow;
  const perRow = Math.min(3, block.cards.length);
  const width = (contentWidth(doc) - CARD_GAP * (perRow - 1)) / perRow;
  const inner = width - 2 * CARD_PAD - 4;
  const textHeight = (text: string | undefined, font: string, size: number) =>
    text ? doc.font(font).fontSize(size).heightOfString(text, { width: inner }) : 0;
  for (let start = 0; start < block.cards.length; start += perRow) {
    const cards = block.cards.slice(start, start + perRow);
    const height =
      Math.max(
        ...cards.map(
          (card) =>
            textHeight(card.label, REGULAR, SMALL_SIZE + 1) +
            textHeight(card.value, BOLD, VALUE_SIZE) +
            textHeight(card.note, REGULAR, SMALL_SIZE),
        ),
      ) +
      2 * CARD_PAD +
      4;
    ensureSpace(doc, height);
    const top = doc.y;
    cards.forEach((card, i) => {
      const x = left(doc) + i * (width + CARD_GAP);
      artifact(doc, 'Layout', () => {
        doc.rect(x, top, width, height).fill(CARD_BACKGROUND);
        doc.rect(x, top, 4, height).fill(BRAND);
      });
      const div = addGroup(flow, 'Div');
      const at = { x: x + 4 + CARD_PAD, y: top + CARD_PAD };
      const line = (text: string, font: string, size: number, colour: string) => {
        addElement(div, 'P', {}, () => {
          typeset(doc, font, size, colour).text(text, at.x, at.y, { width: inner });
          at.y = doc.y;
        });
      };
      line(card.label, REGULAR, SMALL_SIZE + 1, TEXT);
      line(card.value, BOLD, VALUE_SIZE, TEXT);
      if (card.note) line(card.note, REGULAR, SMALL_SIZE, SECONDARY_TEXT);
      div.parent.end();
    });
    doc.x = left(doc);
    doc.y = top + height + CARD_GAP;
  }
  doc.y += BLOCK_GAP - CARD_GAP;
}

/**
 * The caption (a P), the chart as one Figure with its alternative text and bounding box, drawn as vector
 * paths and never split over pages, then its data as a table.
 */
export function renderFigure(flow: Flow, figure: Figure): void {
  const { doc } = flow;
  const width = contentWidth(doc);
  const scene = pdfChartScene(doc, figure.chart, width);
  const captionHeight = doc
    .font(BOLD)
    .fontSize(BODY_SIZE)
    .heightOfString(figure.caption, { width, lineGap: LINE_GAP });
  ensureSpace(doc, captionHeight + 8 + scene.height);
  addElement(flow, 'P', {}, () => {
    typeset(doc, BOLD, BODY_SIZE, TEXT).text(figure.caption, left(doc), doc.y, { width, lineGap: LINE_GAP });
  });
  doc.y += 8;
  const x = left(doc);
  const y = doc.y;
  addElement(
    flow,
    'Figure',
    { alt: figure.alt, bbox: [x, y, x + width, y + scene.height], placement: 'Block' },
    () => drawScene(doc, scene, x, y),
  );
  doc.x = x;
  doc.y = y + scene.height + BLOCK_GAP;
  renderTable(flow, figure.dataTable);
}
