import { chartScene, type Measure, type Scene, type Shape } from './charts/index';
import { markerCorners } from './charts/scene';
import { escapeHtml } from './escape';
import type { ChartSpec } from './model';

function emWidth(c: string): number {
  if (c === ' ') return 0.3;
  if (/[0-9]/.test(c)) return 0.64;
  if (/[A-Z%]/.test(c)) return 0.72;
  if (/[ijlft.,:;'’!|]/.test(c)) return 0.34;
  return 0.62;
}

/**
 * A generous estimate of a text's width: the page asks for Source Sans 3 but may be given a wider
 * sans-serif (Arial, Liberation Sans or DejaVu Sans), and a label laid out too narrow would be cut off.
 */
export const estimateWidth: Measure = (text, size, bold = false) =>
  [...text].reduce((sum, c) => sum + emWidth(c), 0) * size * (bold ? 1.08 : 1);

const n = (value: number) => String(Math.round(value * 100) / 100);
const a = escapeHtml;

function markerPath(shape: Extract<Shape, { kind: 'marker' }>): string {
  const r = shape.size / 2;
  const { x, y } = shape;
  const paint = `fill="${a(shape.fill)}" stroke="${a(shape.stroke)}" stroke-width="0.75"`;
  switch (shape.shape) {
    case 'circle':
      return `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" ${paint}/>`;
    case 'square':
      return `<rect x="${n(x - r)}" y="${n(y - r)}" width="${n(shape.size)}" height="${n(shape.size)}" ${paint}/>`;
    default: {
      const corners = markerCorners(shape.shape, x, y, shape.size);
      return `<polygon points="${corners.map(([px, py]) => `${n(px)},${n(py)}`).join(' ')}" ${paint}/>`;
    }
  }
}

function element(shape: Shape): string {
  switch (shape.kind) {
    case 'rect': {
      const stroke = shape.stroke ? ` stroke="${a(shape.stroke)}" stroke-width="0.75"` : '';
      return `<rect x="${n(shape.x)}" y="${n(shape.y)}" width="${n(shape.width)}" height="${n(shape.height)}" fill="${a(shape.fill)}"${stroke}/>`;
    }
    case 'line': {
      const dash = shape.dash ? ` stroke-dasharray="${shape.dash.join(' ')}"` : '';
      return `<line x1="${n(shape.x1)}" y1="${n(shape.y1)}" x2="${n(shape.x2)}" y2="${n(shape.y2)}" stroke="${a(shape.stroke)}" stroke-width="${shape.width}"${dash}/>`;
    }
    case 'polyline':
      return `<polyline points="${shape.points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="none" stroke="${a(shape.stroke)}" stroke-width="${shape.width}" stroke-linejoin="round"/>`;
    case 'marker':
      return markerPath(shape);
    case 'text': {
      const weight = shape.bold ? ' font-weight="700"' : '';
      return `<text x="${n(shape.x)}" y="${n(shape.y)}" font-size="${shape.size}"${weight} text-anchor="${shape.anchor}" fill="${a(shape.fill)}">${escapeHtml(shape.text)}</text>`;
    }
  }
}

/** The scene as an SVG image named by its alternative text; its own text is hidden from assistive technology. */
export function sceneToSvg(scene: Scene, alt: string): string {
  const { width, height } = scene;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(alt)}" viewBox="0 0 ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}" font-family="'Source Sans 3', Arial, sans-serif">`,
    ...scene.shapes.map(element),
    '</svg>',
  ].join('\n');
}

/** The chart as inline SVG for a page. */
export function chartSvg(spec: ChartSpec, width: number, alt: string): string {
  return sceneToSvg(chartScene(spec, width, estimateWidth), alt);
}
