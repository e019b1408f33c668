/**
 * The little of fontkit (the font engine pdfkit lays text out with) that the renderer uses: opening a font
 * file, and laying out text as glyphs and their positions.
 */

declare module 'fontkit' {
  interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }

  interface GlyphRun {
    glyphs: readonly object[];
    positions: GlyphPosition[];
    readonly advanceWidth: number;
  }

  interface Font {
    layout(text: string, features?: unknown): GlyphRun;
  }

  export function openSync(path: string): Font;
}
