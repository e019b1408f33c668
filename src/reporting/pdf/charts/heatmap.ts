import type { HeatmapSpec } from '../model';
import {
  INK,
  LABEL_SIZE,
  LIGHT_GREY,
  MID_GREY,
  SECONDARY_INK,
  VALUE_SIZE,
  WHITE,
  inkOn,
  labelColumnWidth,
  mix,
  wrapText,
  type Measure,
  type Scene,
  type Shape,
} from './scene';

const CELL_HEIGHT = 22;
const LINE_HEIGHT = 11;
const DARKEST = '#003078';

/** A grid with a row label at the left and a column label above; each cell shaded by its count and
 * the count written in it (a dash where there is nothing to count). */
export function heatmapScene(spec: HeatmapSpec, width: number, measure: Measure): Scene {
  const left = labelColumnWidth(spec.rows, width, measure, 0.35);
  const cellWidth = (width - left) / Math.max(1, spec.columns.length);
  const headers = spec.columns.map((column) => wrapText(column, cellWidth - 4, LABEL_SIZE, measure, true));
  const headerLines = Math.max(1, ...headers.map((lines) => lines.length));
  const top = headerLines * LINE_HEIGHT + 4;
  const max = Math.max(1, ...spec.values.flat().map((v) => v ?? 0));
  const shapes: Shape[] = [];

  headers.forEach((lines, c) => {
    lines.forEach((line, i) => {
      shapes.push({
        kind: 'text',
        text: line,
        x: left + cellWidth * (c + 0.5),
        y: top - 4 - (lines.length - 1 - i) * LINE_HEIGHT - 2,
        size: LABEL_SIZE,
        bold: true,
        anchor: 'middle',
        fill: INK,
      });
    });
  });

  spec.rows.forEach((row, r) => {
    const y = top + r * CELL_HEIGHT;
    const lines = wrapText(row, left - 8, LABEL_SIZE, measure);
    const shown = lines.length > 2 ? [lines[0]!, `${lines.slice(1).join(' ')}`] : lines;
    shown.forEach((line, i) => {
      shapes.push({
        kind: 'text',
        text: line,
        x: left - 6,
        y: y + CELL_HEIGHT / 2 - ((shown.length - 1) * LINE_HEIGHT) / 2 + i * LINE_HEIGHT + LABEL_SIZE * 0.33,
        size: LABEL_SIZE,
        anchor: 'end',
        fill: INK,
      });
    });
    spec.columns.forEach((_, c) => {
      const value = spec.values[r]?.[c] ?? null;
      const fill = value === null ? WHITE : mix(LIGHT_GREY, DARKEST, value / max);
      const x = left + c * cellWidth;
      shapes.push({
        kind: 'rect',
        x,
        y,
        width: cellWidth,
        height: CELL_HEIGHT,
        fill,
        stroke: value === null ? MID_GREY : WHITE,
      });
      shapes.push({
        kind: 'text',
        text: value === null ? '–' : String(value),
        x: x + cellWidth / 2,
        y: y + CELL_HEIGHT / 2 + VALUE_SIZE * 0.33,
        size: VALUE_SIZE,
        bold: value !== null,
        anchor: 'middle',
        fill: value === null ? SECONDARY_INK : inkOn(fill),
      });
    });
  });
  return { width, height: top + spec.rows.length * CELL_HEIGHT + 2, shapes };
}
