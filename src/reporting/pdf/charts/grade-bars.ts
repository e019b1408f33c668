import type { GradeBarsSpec } from '../model';
import {
  INK,
  LABEL_SIZE,
  MID_GREY,
  SECONDARY_INK,
  VALUE_SIZE,
  WHITE,
  inkOn,
  labelColumnWidth,
  legend,
  linearScale,
  wrapText,
  type Measure,
  type Scene,
  type Shape,
} from './scene';

const BAR_HEIGHT = 20;
const ROW_GAP = 8;
const LINE_HEIGHT = 11;

/**
 * Each row a bar of 100%, split by grade in the legend's order, each part labelled with its count where it
 * fits, and the row's total at its end: the grades are told apart by order, label and legend, not by
 * colour alone.
 */
export function gradeBarsScene(spec: GradeBarsSpec, width: number, measure: Measure): Scene {
  const key = legend(
    spec.grades.map((grade) => ({
      text: grade.label,
      swatch: (x, middle): Shape => ({
        kind: 'rect',
        x,
        y: middle - 5,
        width: 10,
        height: 10,
        fill: grade.colour,
      }),
    })),
    0,
    width,
    measure,
  );
  const shapes: Shape[] = [...key.shapes];
  const labelWidth = labelColumnWidth(
    spec.rows.map((row) => row.label),
    width,
    measure,
  );
  const totalWidth = measure('n = 0000', VALUE_SIZE) + 6;
  const x = linearScale([0, 1], [labelWidth, width - totalWidth]);
  let y = key.bottom + 8;

  for (const row of spec.rows) {
    const lines = wrapText(row.label, labelWidth - 8, LABEL_SIZE, measure);
    const height = Math.max(BAR_HEIGHT, lines.length * LINE_HEIGHT);
    const middle = y + height / 2;
    lines.forEach((line, i) => {
      shapes.push({
        kind: 'text',
        text: line,
        x: labelWidth - 8,
        y: middle - ((lines.length - 1) * LINE_HEIGHT) / 2 + i * LINE_HEIGHT + LABEL_SIZE * 0.33,
        size: LABEL_SIZE,
        anchor: 'end',
        fill: INK,
      });
    });
    const total = spec.grades.reduce((sum, grade) => sum + (row.counts[grade.code] ?? 0), 0);
    let share = 0;
    for (const grade of spec.grades) {
      const count = row.counts[grade.code] ?? 0;
      if (count === 0 || total === 0) continue;
      const x0 = x(share);
      share += count / total;
      const segment = x(share) - x0;
      const top = middle - BAR_HEIGHT / 2;
      shapes.push({
        kind: 'rect',
        x: x0,
        y: top,
        width: segment,
        height: BAR_HEIGHT,
        fill: grade.colour,
        stroke: WHITE,
      });
      const label = String(count);
      if (measure(label, VALUE_SIZE, true) + 4 <= segment) {
        shapes.push({
          kind: 'text',
          text: label,
          x: x0 + segment / 2,
          y: middle + VALUE_SIZE * 0.33,
          size: VALUE_SIZE,
          bold: true,
          anchor: 'middle',
          fill: inkOn(grade.colour),
        });
      }
    }
    if (total === 0) {
      shapes.push({
        kind: 'rect',
        x: x(0),
        y: middle - BAR_HEIGHT / 2,
        width: x(1) - x(0),
        height: BAR_HEIGHT,
        fill: WHITE,
        stroke: MID_GREY,
      });
    }
    shapes.push({
      kind: 'text',
      text: `n = ${total}`,
      x: width,
      y: middle + VALUE_SIZE * 0.33,
      size: VALUE_SIZE,
      anchor: 'end',
      fill: SECONDARY_INK,
    });
    y += height + ROW_GAP;
  }

  const axis = y + 2;
  shapes.push({ kind: 'line', x1: x(0), y1: axis, x2: x(1), y2: axis, stroke: SECONDARY_INK, width: 0.75 });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    shapes.push({
      kind: 'line',
      x1: x(tick),
      y1: axis,
      x2: x(tick),
      y2: axis + 4,
      stroke: SECONDARY_INK,
      width: 0.75,
    });
    shapes.push({
      kind: 'text',
      text: `${tick * 100}%`,
      x: x(tick),
      y: axis + 6 + LABEL_SIZE,
      size: LABEL_SIZE,
      anchor: 'middle',
      fill: SECONDARY_INK,
    });
  }
  return { width, height: axis + 10 + LABEL_SIZE, shapes };
}
