import type { GradeBarsSpec, HeatmapSpec, SpcSpec } from '../model';
import { chartScene, type Scene, type Shape } from './index';
import type { Measure } from './scene';

const measure: Measure = (text, size) => text.length * size * 0.5;

const texts = (scene: Scene) =>
  scene.shapes.filter((s): s is Extract<Shape, { kind: 'text' }> => s.kind === 'text').map((s) => s.text);
const of = <K extends Shape['kind']>(scene: Scene, kind: K) =>
  scene.shapes.filter((s): s is Extract<Shape, { kind: K }> => s.kind === kind);

const inside = (scene: Scene) =>
  scene.shapes.every((shape) => {
    if (shape.kind === 'rect') return shape.x >= -0.01 && shape.x + shape.width <= scene.width + 0.01;
    if (shape.kind === 'line') return Math.max(shape.y1, shape.y2) <= scene.height;
    return true;
  });

describe('the grade bars chart', () => {
  const spec: GradeBarsSpec = {
    kind: 'grade-bars',
    grades: [
      { code: 'good', label: 'Good', colour: '#00703c' },
      { code: 'ri', label: 'Requires improvement', colour: '#ffdd00' },
    ],
    rows: [
      { label: 'North', counts: { good: 30, ri: 10 } },
      { label: 'South', counts: { good: 0, ri: 5 } },
      { label: 'East', counts: {} },
    ],
  };
  const scene = chartScene(spec, 480, measure);

  it('splits each bar by grade in proportion, across the same width', () => {
    const bars = of(scene, 'rect').filter((r) => r.height === 20);
    const [good, ri, south, east] = bars;
    expect(good!.width / ri!.width).toBeCloseTo(3);
    expect(south!.width).toBeCloseTo(good!.width + ri!.width);
    expect(east!.fill).toBe('#ffffff');
    expect(inside(scene)).toBe(true);
  });

  it('labels each part with its count, each row with its total, and the grades in a legend', () => {
    expect(texts(scene)).toEqual(
      expect.arrayContaining([
        'Good',
        'Requires improvement',
        'North',
        '30',
        '10',
        'n = 40',
        'n = 5',
        'n = 0',
        '100%',
      ]),
    );
  });
});

describe('the SPC chart', () => {
  const spec: SpcSpec = {
    kind: 'spc',
    points: [
      { label: 'Jan', value: 0.5, variation: 'common' },
      { label: 'Feb', value: 0.7, variation: 'improvement' },
      { label: 'Mar', value: 0.2, variation: 'concern' },
      { label: 'Apr', value: 0.45, variation: 'neither' },
    ],
    mean: 0.46,
    upper: 0.66,
    lower: 0.26,
    trial: true,
    target: 0.6,
    format: 'percent',
  };
  const scene = chartScene(spec, 480, measure);

  it('marks each point by colour and, for special cause, by shape', () => {
    const markers = of(scene, 'marker').slice(0, 4);
    expect(markers.map((m) => m.shape)).toEqual(['circle', 'square', 'diamond', 'triangle']);
    expect(new Set(markers.map((m) => m.fill)).size).toBe(4);
  });

  it('draws the limits dashed and labels them as trial limits while they are', () => {
    const dashed = of(scene, 'line').filter((l) => l.dash);
    expect(dashed).toHaveLength(3);
    expect(texts(scene)).toEqual(
      expect.arrayContaining([
        'Upper trial limit 66%',
        'Lower trial limit 26%',
        'Mean 46%',
        'Target 60%',
        'Jan',
        '50%',
      ]),
    );
    const fixed = chartScene({ ...spec, trial: false, target: undefined }, 480, measure);
    expect(texts(fixed)).toContain('Upper limit 66%');
    expect(texts(fixed).some((t) => t.startsWith('Target'))).toBe(false);
  });

  it('puts higher values higher up', () => {
    const [jan, feb, mar] = of(scene, 'marker');
    expect(feb!.y).toBeLessThan(jan!.y);
    expect(mar!.y).toBeGreaterThan(jan!.y);
  });

  it('shows plain numbers as they are', () => {
    const numbers = chartScene(
      { ...spec, format: 'number', mean: 12, upper: 20, lower: 4, target: undefined },
      480,
      measure,
    );
    expect(texts(numbers)).toContain('Mean 12');
  });
});

describe('the heat map', () => {
  const spec: HeatmapSpec = {
    kind: 'heatmap',
    rows: ['Planning', 'Recording'],
    columns: ['Good', 'Inadequate'],
    values: [
      [10, 0],
      [null, 5],
    ],
  };
  const scene = chartScene(spec, 400, measure);

  it('writes the count in every cell, a dash where there is none, and darker for more', () => {
    expect(texts(scene)).toEqual(['Good', 'Inadequate', 'Planning', '10', '0', 'Recording', '–', '5']);
    const cells = of(scene, 'rect');
    expect(cells).toHaveLength(4);
    const shade = (fill: string) => parseInt(fill.slice(1, 3), 16);
    expect(shade(cells[0]!.fill)).toBeLessThan(shade(cells[3]!.fill));
    expect(shade(cells[3]!.fill)).toBeLessThan(shade(cells[1]!.fill));
  });
});
