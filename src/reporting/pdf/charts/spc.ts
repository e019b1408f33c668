import type { SpcSpec, Variation } from '../model';
import {
  INK,
  LABEL_SIZE,
  MID_GREY,
  SECONDARY_INK,
  legend,
  linearScale,
  niceTicks,
  type MarkerShape,
  type Measure,
  type Scene,
  type Shape,
} from './scene';

/** How each kind of variation is drawn: colour (as NHS "making data count") and, for special cause, shape. */
export const VARIATION_STYLE: Record<Variation, { colour: string; shape: MarkerShape; label: string }> = {
  common: { colour: '#7f8b91', shape: 'circle', label: 'Common cause variation' },
  improvement: { colour: '#1d70b8', shape: 'square', label: 'Special cause: improvement' },
  concern: { colour: '#f47738', shape: 'diamond', label: 'Special cause: concern' },
  neither: { colour: '#4c2c92', shape: 'triangle', label: 'Special cause: neither' },
};

const PLOT_HEIGHT = 170;
const TARGET_COLOUR = '#00703c';

export function formatValue(value: number, format: SpcSpec['format']): string {
  if (format === 'percent') return `${Math.round(value * 1000) / 10}%`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Spread labels at least `gap` apart vertically, keeping them in order. */
function spread(labels: { y: number; text: string; colour: string }[], gap: number) {
  const sorted = [...labels].sort((a, b) => a.y - b.y);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const label = sorted[i]!;
    if (label.y - previous.y < gap) label.y = previous.y + gap;
  }
  return sorted;
}

/**
 * Points joined by a line against the centre line, the process limits (dashed, "trial" while being
 * established) and the target (dotted); each point coloured by its variation and, where special cause,
 * marked by a shape of its own.
 */
export function spcScene(spec: SpcSpec, width: number, measure: Measure): Scene {
  const levels = [spec.mean, spec.upper, spec.lower, ...spec.points.map((p) => p.value)];
  if (spec.target !== undefined) levels.push(spec.target);
  let low = Math.min(...levels);
  let high = Math.max(...levels);
  if (spec.format === 'percent') {
    low = Math.max(0, low);
    high = Math.min(1, high);
  }
  const { ticks, domain } = niceTicks(low, high, 5);
  const tickLabels = ticks.map((t) => formatValue(t, spec.format));
  const left = Math.max(...tickLabels.map((t) => measure(t, LABEL_SIZE))) + 8;
  const limitWord = spec.trial ? 'trial limit' : 'limit';
  const lineLabels = [
    {
      value: spec.upper,
      text: `Upper ${limitWord} ${formatValue(spec.upper, spec.format)}`,
      colour: SECONDARY_INK,
    },
    { value: spec.mean, text: `Mean ${formatValue(spec.mean, spec.format)}`, colour: INK },
    {
      value: spec.lower,
      text: `Lower ${limitWord} ${formatValue(spec.lower, spec.format)}`,
      colour: SECONDARY_INK,
    },
  ];
  if (spec.target !== undefined) {
    lineLabels.push({
      value: spec.target,
      text: `Target ${formatValue(spec.target, spec.format)}`,
      colour: TARGET_COLOUR,
    });
  }
  const right = width - Math.max(...lineLabels.map((l) => measure(l.text, LABEL_SIZE))) - 8;
  const top = 6;
  const y = linearScale(domain, [top + PLOT_HEIGHT, top]);
  const clampY = (value: number) => y(Math.min(domain[1], Math.max(domain[0], value)));
  const step = (right - left) / Math.max(1, spec.points.length);
  const x = (i: number) => left + step * (i + 0.5);
  const shapes: Shape[] = [];

  for (const [i, tick] of ticks.entries()) {
    shapes.push({
      kind: 'line',
      x1: left,
      y1: y(tick),
      x2: right,
      y2: y(tick),
      stroke: '#e5e6e7',
      width: 0.5,
    });
    shapes.push({
      kind: 'text',
      text: tickLabels[i]!,
      x: left - 5,
      y: y(tick) + LABEL_SIZE * 0.33,
      size: LABEL_SIZE,
      anchor: 'end',
      fill: SECONDARY_INK,
    });
  }
  const bottom = top + PLOT_HEIGHT;
  shapes.push({ kind: 'line', x1: left, y1: top, x2: left, y2: bottom, stroke: SECONDARY_INK, width: 0.75 });
  shapes.push({
    kind: 'line',
    x1: left,
    y1: bottom,
    x2: right,
    y2: bottom,
    stroke: SECONDARY_INK,
    width: 0.75,
  });

  const horizontal = (value: number, stroke: string, lineWidth: number, dash?: [number, number]): Shape => ({
    kind: 'line',
    x1: left,
    y1: clampY(value),
    x2: right,
    y2: clampY(value),
    stroke,
    width: lineWidth,
    ...(dash ? { dash } : {}),
  });
  shapes.push(horizontal(spec.mean, INK, 1.25));
  shapes.push(horizontal(spec.upper, SECONDARY_INK, 1, [5, 3]));
  shapes.push(horizontal(spec.lower, SECONDARY_INK, 1, [5, 3]));
  if (spec.target !== undefined) shapes.push(horizontal(spec.target, TARGET_COLOUR, 1.25, [1.5, 2]));
  for (const label of spread(
    lineLabels.map((l) => ({ y: clampY(l.value) + LABEL_SIZE * 0.33, text: l.text, colour: l.colour })),
    LABEL_SIZE + 1,
  )) {
    shapes.push({
      kind: 'text',
      text: label.text,
      x: right + 6,
      y: label.y,
      size: LABEL_SIZE,
      anchor: 'start',
      fill: label.colour,
    });
  }

  shapes.push({
    kind: 'polyline',
    points: spec.points.map((p, i) => [x(i), clampY(p.value)]),
    stroke: MID_GREY,
    width: 1.25,
  });
  for (const [i, point] of spec.points.entries()) {
    const style = VARIATION_STYLE[point.variation];
    const special = point.variation !== 'common';
    shapes.push({
      kind: 'marker',
      shape: style.shape,
      x: x(i),
      y: clampY(point.value),
      size: special ? 7 : 5,
      fill: style.colour,
      stroke: special ? INK : style.colour,
    });
  }

  const widest = Math.max(...spec.points.map((p) => measure(p.label, LABEL_SIZE)));
  const every = Math.max(1, Math.ceil((widest + 6) / step));
  for (const [i, point] of spec.points.entries()) {
    if (i % every !== 0) continue;
    shapes.push({
      kind: 'line',
      x1: x(i),
      y1: bottom,
      x2: x(i),
      y2: bottom + 3,
      stroke: SECONDARY_INK,
      width: 0.75,
    });
    shapes.push({
      kind: 'text',
      text: point.label,
      x: x(i),
      y: bottom + 5 + LABEL_SIZE,
      size: LABEL_SIZE,
      anchor: 'middle',
      fill: SECONDARY_INK,
    });
  }

  const used = (Object.keys(VARIATION_STYLE) as Variation[]).filter((v) =>
    spec.points.some((p) => p.variation === v),
  );
  const key = legend(
    used.map((variation) => ({
      text: VARIATION_STYLE[variation].label,
      swatch: (lx, middle): Shape => ({
        kind: 'marker',
        shape: VARIATION_STYLE[variation].shape,
        x: lx + 5,
        y: middle,
        size: variation === 'common' ? 5 : 7,
        fill: VARIATION_STYLE[variation].colour,
        stroke: variation === 'common' ? VARIATION_STYLE[variation].colour : INK,
      }),
    })),
    bottom + 12 + LABEL_SIZE,
    width,
    measure,
  );
  shapes.push(...key.shapes);
  return { width, height: key.bottom, shapes };
}
