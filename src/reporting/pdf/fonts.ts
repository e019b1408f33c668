import * as fontkit from 'fontkit';
import path from 'node:path';

/**
 * Source Sans 3 (Adobe, SIL Open Font License), embedded from the `source-sans` package's TrueType files:
 * PDF/UA needs every font embedded, which the PDF standard fonts are not. The renderer sets fonts by these
 * names (their file paths); `registerFonts` gives each document the typefaces under them.
 */
const directory = path.join(path.dirname(require.resolve('source-sans/package.json')), 'TTF');

export const REGULAR = path.join(directory, 'SourceSans3-Regular.ttf');
export const BOLD = path.join(directory, 'SourceSans3-Bold.ttf');

/** Words laid out a typeface keeps, at most: a pack has a few thousand; the rest vary (numbers, names). */
const MAX_WORDS = 50_000;

/**
 * A typeface that keeps the layout of each word it has set (its glyphs and their positions, which depend on
 * the typeface alone) for every document. Laying words out (ligatures, kerning) is most of the cost of
 * rendering a pack, and pdfkit keeps layouts for one document only. Each caller gets its own copy of the
 * positions, as pdfkit scales them in place.
 */
function keepingLayouts(font: fontkit.Font): fontkit.Font {
  const kept = new Map<string, { glyphs: readonly object[]; positions: fontkit.GlyphPosition[] }>();
  const layout = (text: string, features?: unknown): fontkit.GlyphRun => {
    if (features) return font.layout(text, features);
    let run = kept.get(text);
    if (!run) {
      const laid = font.layout(text);
      run = { glyphs: laid.glyphs, positions: laid.positions.map((p) => ({ ...p })) };
      if (kept.size >= MAX_WORDS) kept.clear();
      kept.set(text, run);
    }
    const positions = run.positions.map((p) => ({ ...p }));
    return {
      glyphs: run.glyphs,
      positions,
      get advanceWidth() {
        return positions.reduce((width, p) => width + p.xAdvance, 0);
      },
    };
  };
  return new Proxy(font, {
    get: (target, key): unknown => (key === 'layout' ? layout : Reflect.get(target, key)),
  });
}

let typefaces: Map<string, fontkit.Font> | undefined;

/**
 * Registers the typefaces with a document under their names. Each file is read and parsed once for the
 * process: pdfkit would otherwise read and parse it again for every document, decoding its tables anew.
 */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  typefaces ??= new Map([REGULAR, BOLD].map((file) => [file, keepingLayouts(fontkit.openSync(file))]));
  for (const [name, font] of typefaces)
    doc.registerFont(name, font as unknown as PDFKit.Mixins.PDFFontSource);
}
