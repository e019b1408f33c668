import PDFDocument from 'pdfkit';
import { renderFigure, renderHeading, renderKeyFigures, renderList, renderParagraph } from './blocks';
import { escapeHtml } from './escape';
import { REGULAR, registerFonts } from './fonts';
import { addGroup, artifact, atTopOfPage, contentWidth, left, type Flow, typeset } from './flow';
import { sectionsOf, type Block, type PackDocument } from './model';
import { MARGIN, SECONDARY_TEXT, SMALL_SIZE } from './style';
import { renderTable } from './table';

type Options = Omit<PDFKit.PDFDocumentOptions, 'subset'> & { subset: 'PDF/UA' };

/** pdfkit's document, taking the 'PDF/UA' subset it has had since 0.15, which @types/pdfkit 0.17 omits. */
const TaggedDocument = PDFDocument as unknown as new (options: Options) => PDFKit.PDFDocument;

/**
 * The document's options for a tagged PDF meant to conform to PDF/UA-1: structure, language, a displayed
 * title and PDF 1.7.
 */
function documentOptions(pack: PackDocument): Options {
  return {
    size: 'A4',
    layout: 'portrait',
    margins: MARGIN,
    pdfVersion: '1.7',
    subset: 'PDF/UA',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    bufferPages: true,
    // No font yet: the typefaces are registered, and one set, once the document exists.
    font: '',
    info: { Title: pack.title, Subject: pack.subject, Author: pack.author, Creator: 'Case Audit' },
  };
}

/**
 * pdfkit 0.20 writes the title, subject and author into the XMP metadata as they are, so an ampersand or
 * angle bracket would leave it malformed. They are escaped there, once the document information dictionary
 * (written first, at the start of `end()`) has taken them as they are.
 */
function escapeXmpInfo(doc: PDFKit.PDFDocument): void {
  const endMetadata = doc.endMetadata.bind(doc);
  doc.endMetadata = () => {
    for (const key of ['Title', 'Subject', 'Author'] as const) {
      const value = doc.info[key];
      if (typeof value === 'string') doc.info[key] = escapeHtml(value);
    }
    endMetadata();
  };
}

/** Bookmarks for level-1 and level-2 headings, each level 2 under the level 1 before it. */
class Outline {
  private top: PDFKit.PDFOutline | null = null;

  constructor(private readonly doc: PDFKit.PDFDocument) {}

  add(block: Block): void {
    if (block.kind !== 'heading' || block.level > 2) return;
    if (block.level === 1) this.top = this.doc.outline.addItem(block.text);
    else (this.top ?? this.doc.outline).addItem(block.text);
  }
}

function renderBlock(flow: Flow, block: Block): void {
  switch (block.kind) {
    case 'heading':
      return renderHeading(flow, block);
    case 'paragraph':
      return renderParagraph(flow, block);
    case 'list':
      return renderList(flow, block);
    case 'table':
      return renderTable(flow, block);
    case 'figure':
      return renderFigure(flow, block);
    case 'key-figures':
      return renderKeyFigures(flow, block);
    case 'page-break':
      if (!atTopOfPage(flow.doc)) flow.doc.addPage();
      return;
  }
}

/** The running header (the title, from the second page) and footer (the page number), as artifacts. */
function drawPageFurniture(doc: PDFKit.PDFDocument, pack: PackDocument): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const x = left(doc);
    const width = contentWidth(doc);
    // Text in the bottom margin would otherwise start a new page.
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, bottom: 0 };
    artifact(doc, 'Pagination', () => {
      typeset(doc, REGULAR, SMALL_SIZE, SECONDARY_TEXT);
      if (i > start) {
        doc.text(pack.title, x, MARGIN.top - 30, { lineBreak: false });
        doc
          .moveTo(x, MARGIN.top - 14)
          .lineTo(x + width, MARGIN.top - 14)
          .lineWidth(0.5)
          .stroke(SECONDARY_TEXT);
      }
      const footerY = doc.page.height - MARGIN.bottom + 24;
      doc.text(pack.author, x, footerY, { lineBreak: false });
      const page = `Page ${i - start + 1} of ${count}`;
      doc.text(page, x + width - doc.widthOfString(page), footerY, { lineBreak: false });
    });
    doc.page.margins = margins;
  }
}

/**
 * The pack as a tagged PDF: a Document of Sects, one for each level-1 heading and what follows it, set in
 * an embedded typeface, with bookmarks, and page headers and footers that are artifacts.
 */
export async function renderPdf(pack: PackDocument): Promise<Buffer> {
  const doc = new TaggedDocument(documentOptions(pack));
  const chunks: Uint8Array[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  registerFonts(doc);
  doc.font(REGULAR);
  escapeXmpInfo(doc);
  const root = doc.struct('Document');
  doc.addStructure(root);
  const outline = new Outline(doc);
  for (const blocks of sectionsOf(pack)) {
    const section = addGroup({ doc, parent: root }, 'Sect');
    for (const block of blocks) {
      renderBlock(section, block);
      outline.add(block);
    }
    section.parent.end();
  }
  root.end();

  drawPageFurniture(doc, pack);
  doc.end();
  return finished;
}
