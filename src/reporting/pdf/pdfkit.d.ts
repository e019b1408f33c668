/**
 * What pdfkit 0.20 accepts that @types/pdfkit 0.17 does not yet describe: a structure element's layout
 * bounding box and placement (0.19), a table header cell's scope, and a structure element's dictionary.
 */

declare namespace PDFKit {
  interface PDFStructureElement {
    /** The element's dictionary, for attributes pdfkit has no option for (a list's numbering). */
    dictionary: { data: Record<string, unknown> };
  }
}

declare namespace PDFKit.Mixins {
  interface StructureElementOptions {
    /** [left, top, right, bottom] on the current page, in points from its top left. */
    bbox?: [number, number, number, number];
    placement?: 'Block' | 'Inline';
    scope?: 'Row' | 'Column' | 'Both';
  }
}
