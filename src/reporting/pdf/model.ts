/**
 * The board pack as a document: blocks of content and the specs of its charts, knowing nothing of the data
 * they came from. `renderPdf` turns it into a tagged PDF and `renderHtml` into the same content as a page.
 */

/** A pack. Its blocks run in order; each level-1 heading begins a new section (a Sect in the PDF). */
export interface PackDocument {
  title: string;
  subject: string;
  author: string;
  sections: Block[];
}

export type Block = Heading | Paragraph | BulletList | Table | Figure | KeyFigures | PageBreak;

export interface Heading {
  kind: 'heading';
  level: 1 | 2 | 3;
  text: string;
}

/** A run of text in a paragraph; bold runs are set in the bold face. */
export interface TextRun {
  text: string;
  bold?: boolean;
}

export interface Paragraph {
  kind: 'paragraph';
  text: string | TextRun[];
}

export interface BulletList {
  kind: 'list';
  items: string[];
}

export type Align = 'left' | 'right' | 'center';

export interface Column {
  header: string;
  align: Align;
}

/** A table. With rowHeaders, each row's first cell heads its row. */
export interface Table {
  kind: 'table';
  caption: string;
  columns: Column[];
  rows: string[][];
  rowHeaders?: boolean;
}

/** A chart, always followed by its data as a table. */
export interface Figure {
  kind: 'figure';
  alt: string;
  caption: string;
  chart: ChartSpec;
  dataTable: Table;
}

export interface KeyFigure {
  label: string;
  value: string;
  note?: string;
}

export interface KeyFigures {
  kind: 'key-figures';
  cards: KeyFigure[];
}

export interface PageBreak {
  kind: 'page-break';
}

export interface Grade {
  code: string;
  label: string;
  /** A fill colour, `#rrggbb`. */
  colour: string;
}

/** Horizontal bars, one a row, each split by grade into the share of its total. */
export interface GradeBarsSpec {
  kind: 'grade-bars';
  grades: Grade[];
  rows: { label: string; counts: Record<string, number> }[];
}

export type Variation = 'common' | 'improvement' | 'concern' | 'neither';

/**
 * A statistical process control chart. Values, limits and target are in the unit of `format`:
 * proportions from 0 to 1 for 'percent', plain numbers for 'number'.
 */
export interface SpcSpec {
  kind: 'spc';
  points: { label: string; value: number; variation: Variation }[];
  mean: number;
  upper: number;
  lower: number;
  /** Limits still being established from the first points, labelled as trial limits. */
  trial: boolean;
  target?: number;
  format: 'percent' | 'number';
}

/** A grid of counts, `values[row][column]`; null where there is nothing to count. */
export interface HeatmapSpec {
  kind: 'heatmap';
  rows: string[];
  columns: string[];
  values: (number | null)[][];
}

export type ChartSpec = GradeBarsSpec | SpcSpec | HeatmapSpec;

/** The pack's blocks in sections: a new one at each level-1 heading (and one for any blocks before it). */
export function sectionsOf(pack: PackDocument): Block[][] {
  const sections: Block[][] = [];
  for (const block of pack.sections) {
    const last = sections.at(-1);
    if (!last || (block.kind === 'heading' && block.level === 1)) sections.push([block]);
    else last.push(block);
  }
  return sections;
}
