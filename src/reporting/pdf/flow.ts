/** Where the renderer is: the document, the structure element content goes into, and page helpers. */
export interface Flow {
  doc: PDFKit.PDFDocument;
  parent: PDFKit.PDFStructureElement;
}

export function left(doc: PDFKit.PDFDocument): number {
  return doc.page.margins.left;
}

export function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

export function bottom(doc: PDFKit.PDFDocument): number {
  return doc.page.height - doc.page.margins.bottom;
}

export function atTopOfPage(doc: PDFKit.PDFDocument): boolean {
  return doc.y <= doc.page.margins.top + 0.5;
}

/** Starts a new page unless `height` more fits on this one (or this one is still empty). */
export function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > bottom(doc) && !atTopOfPage(doc)) doc.addPage();
}

/**
 * Draws what is not content (rules, backgrounds, repeated table headers, page headers and footers) as an
 * artifact, which assistive technology passes over.
 */
export function artifact(doc: PDFKit.PDFDocument, type: 'Pagination' | 'Layout', draw: () => void): void {
  doc.markContent('Artifact', { type });
  draw();
  doc.endMarkedContent();
}

/** Adds a structure element to the flow's parent; its content closure is drawn at once. */
export function addElement(
  flow: Flow,
  type: string,
  options: PDFKit.Mixins.StructureElementOptions,
  draw: () => void,
): PDFKit.PDFStructureElement {
  const element = flow.doc.struct(type, options, [draw]);
  flow.parent.add(element);
  return element;
}

/** Adds an empty structure element to the flow's parent for children to be added to; end() it after. */
export function addGroup(
  flow: Flow,
  type: string,
  options: PDFKit.Mixins.StructureElementOptions = {},
): Flow {
  const element = flow.doc.struct(type, options);
  flow.parent.add(element);
  return { doc: flow.doc, parent: element };
}

/** Sets the typeface, size and colour of the text that follows. */
export function typeset(
  doc: PDFKit.PDFDocument,
  font: string,
  size: number,
  colour: string,
): PDFKit.PDFDocument {
  return doc.font(font).fontSize(size).fillColor(colour);
}
