import path from 'node:path';

/**
 * Source Sans 3 (Adobe, SIL Open Font License), embedded from the `source-sans` package's TrueType files:
 * PDF/UA needs every font embedded, which the PDF standard fonts are not. pdfkit caches a font under the
 * name it was first set by, so the renderer always sets these by their file path: each is read once per
 * document.
 */
const directory = path.join(path.dirname(require.resolve('source-sans/package.json')), 'TTF');

export const REGULAR = path.join(directory, 'SourceSans3-Regular.ttf');
export const BOLD = path.join(directory, 'SourceSans3-Bold.ttf');
