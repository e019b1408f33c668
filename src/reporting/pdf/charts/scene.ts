/**
 * A chart laid out as shapes in points, origin at the top left: the geometry is worked out once here and
 * drawn two ways, with pdfkit paths for the PDF and as SVG for the page.
 */

export type MarkerShape = 'circle' | 'square' | 'diamond' | 'triangle';

export type Shape =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; fill: string; stroke?: string }
  | {
      kind: 'line';
      x1: number;
      y1: number;
      x2: number;
      y2: number;
      stroke: string;
      width: number;
      dash?: [number, number];
    }
  | { kind: 'polyline'; points: [number, number][]; stroke: string; width: number }
  | { kind: 'marker'; shape: MarkerShape; x: number; y: number; size: number; fill: string; stroke: string }
  | {
      kind: 'text';
      text: string;
      /** Where the text starts, is centred or ends, by anchor. */
      x: number;
      /** The baseline. */
      y: number;
      size: number;
      bold?: boolean;
      anchor: 'start' | 'middle' | 'end';
      fill: string;
    };

export interface Scene {
  width: number;
  height: number;
  shapes: Shape[];
}

/** The width in points of a text set in the chart's typeface. */
export type Measure = (text: string, size: number, bold?: boolean) => number;

export const INK = '#0b0c0c';
export const SECONDARY_INK = '#505a5f';
export const MID_GREY = '#b1b4b6';
export const LIGHT_GREY = '#f3f2f1';
export const WHITE = '#ffffff';

export const LABEL_SIZE = 9;
export const VALUE_SIZE = 9;

export type Scale = (value: number) => number;

/** A linear map from a domain onto a range. */
export function linearScale([d0, d1]: [number, number], [r0, r1]: [number, number]): Scale {
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** Round tick values covering [min, max], about `count` of them, and the domain they span. */
export function niceTicks(
  min: number,
  max: number,
  count = 5,
): { ticks: number[]; domain: [number, number] } {
  if (max <= min) max = min + 1;
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const round = (value: number) => Number(value.toPrecision(12));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(round(i * step));
  return { ticks, domain: [round(first * step), round(last * step)] };
}

function channel(hex: string, offset: number): number {
  const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** The relative luminance of a `#rrggbb` colour (WCAG 2). */
export function luminance(hex: string): number {
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

/** Black or white, whichever reads better on the fill. */
export function inkOn(fill: string): string {
  const l = luminance(fill);
  const onWhite = 1.05 / (l + 0.05);
  const onBlack = (l + 0.05) / (luminance(INK) + 0.05);
  return onWhite >= onBlack ? WHITE : INK;
}

/** A colour between two `#rrggbb` colours, t from 0 to 1. */
export function mix(from: string, to: string, t: number): string {
  const part = (offset: number) => {
    const a = parseInt(from.slice(offset, offset + 2), 16);
    const b = parseInt(to.slice(offset, offset + 2), 16);
    return Math.round(a + (b - a) * t)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${part(1)}${part(3)}${part(5)}`;
}

/** Words wrapped into lines no wider than width (a word longer than that stands alone). */
export function wrapText(
  text: string,
  width: number,
  size: number,
  measure: Measure,
  bold = false,
): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate, size, bold) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Labels legend entries: a swatch or marker followed by its text, wrapped onto rows across the width. */
export function legend(
  entries: { text: string; swatch: (x: number, yMiddle: number) => Shape }[],
  top: number,
  width: number,
  measure: Measure,
): { shapes: Shape[]; bottom: number } {
  const shapes: Shape[] = [];
  const rowHeight = 16;
  let x = 0;
  let y = top;
  for (const entry of entries) {
    const entryWidth = 16 + measure(entry.text, LABEL_SIZE) + 14;
    if (x > 0 && x + entryWidth > width) {
      x = 0;
      y += rowHeight;
    }
    const middle = y + rowHeight / 2;
    shapes.push(entry.swatch(x, middle));
    shapes.push({
      kind: 'text',
      text: entry.text,
      x: x + 16,
      y: middle + LABEL_SIZE * 0.33,
      size: LABEL_SIZE,
      anchor: 'start',
      fill: INK,
    });
    x += entryWidth;
  }
  return { shapes, bottom: y + rowHeight };
}

/** The width a column of labels needs, at most a share of the chart. */
export function labelColumnWidth(labels: string[], width: number, measure: Measure, share = 0.3): number {
  const widest = Math.max(0, ...labels.map((label) => measure(label, LABEL_SIZE)));
  return Math.min(widest + 8, width * share);
}

/** The corners of a diamond or triangle marker; circles and squares are drawn as such. */
export function markerCorners(shape: MarkerShape, x: number, y: number, size: number): [number, number][] {
  const r = (size / 2) * 1.3;
  if (shape === 'diamond') {
    return [
      [x, y - r],
      [x + r, y],
      [x, y + r],
      [x - r, y],
    ];
  }
  return [
    [x, y - r],
    [x + r, y + size / 2],
    [x - r, y + size / 2],
  ];
}
