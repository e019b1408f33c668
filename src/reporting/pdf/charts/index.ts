import type { ChartSpec } from '../model';
import { gradeBarsScene } from './grade-bars';
import { heatmapScene } from './heatmap';
import type { Measure, Scene } from './scene';
import { spcScene } from './spc';

export type { Measure, Scene, Shape } from './scene';

/** The chart laid out across the given width, as tall as it needs. */
export function chartScene(spec: ChartSpec, width: number, measure: Measure): Scene {
  switch (spec.kind) {
    case 'grade-bars':
      return gradeBarsScene(spec, width, measure);
    case 'spc':
      return spcScene(spec, width, measure);
    case 'heatmap':
      return heatmapScene(spec, width, measure);
  }
}
