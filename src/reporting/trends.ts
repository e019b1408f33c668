import { countHeadline, type FrameworkOf, type Proportion } from './figures';
import { MEASURES, type MeasureCode } from './measures';
import type { MonthlyCount } from './repository';
import {
  ASSURANCE_ICON_NAMES,
  CHART_NAMES,
  formatPercent,
  narrative,
  pChart,
  recommendChart,
  suppressFigure,
  VARIATION_ICON_NAMES,
  xmrChart,
  type PointVariation,
  type SpcResult,
} from './statistics';

/** Each month's good-or-better and inadequate proportions of the overall grades submitted in it. */
export function monthlyProportions(
  rows: readonly MonthlyCount[],
  frameworkOf: FrameworkOf,
): Map<string, Record<'good-or-better' | 'inadequate', Proportion>> {
  const months = new Map<string, Record<'good-or-better' | 'inadequate', Proportion>>();
  for (const row of rows) {
    const month = months.get(row.month) ?? {
      'good-or-better': { count: 0, of: 0 },
      inadequate: { count: 0, of: 0 },
    };
    const measures = { goodOrBetter: month['good-or-better'], inadequate: month.inadequate };
    countHeadline(measures, frameworkOf(row.frameworkId, row.frameworkVersion), row.grade, row.count);
    if (month.inadequate.of > 0) months.set(row.month, month);
  }
  return months;
}

export interface Trend {
  measure: MeasureCode;
  label: string;
  chart: SpcResult['chart'];
  chartName: string;
  /** Why this chart: the report must say which is shown. */
  chartReason: string;
  /**
   * Months left out of the chart and its limits: fewer than five audits, or a count from 1 to 4 that the
   * month's percentage would give away.
   */
  monthsWithheld: string[];
  points: { month: string; percent: number; of: number; variation: PointVariation; rules: string[] }[];
  centrePercent: number | null;
  limits: { lower: number; upper: number } | null;
  trial: boolean;
  targetPercent: number | null;
  variation: string | null;
  assurance: string | null;
  narrative: string;
}

const percent = (x: number) => Math.round(x * 1000) / 10;

/**
 * A measure's monthly trend as an SPC chart (NHS Making Data Count): a p-chart when monthly counts are
 * small or uneven, else an XmR chart of the percentages; months with fewer than five audits, or whose
 * percentage would give away a count from 1 to 4, withheld.
 */
export function trendOf(
  measure: 'good-or-better' | 'inadequate',
  months: readonly string[],
  proportions: ReadonlyMap<string, Record<'good-or-better' | 'inadequate', Proportion>>,
  targetPercent: number | null,
): Trend {
  const definition = MEASURES.find((m) => m.code === measure);
  const direction = definition?.direction ?? 'up';
  // A month is shown as the headline figure would be: not when its count or its audits are withheld.
  const shown = months.filter((m) => {
    const { count, of } = proportions.get(m)?.[measure] ?? { count: 0, of: 0 };
    return of > 0 && !suppressFigure({ count, denominator: of }).suppressed;
  });
  const samples = shown.map((m) => {
    const p = proportions.get(m)?.[measure] ?? { count: 0, of: 0 };
    return { successes: p.count, n: p.of };
  });
  const { chart, reason } = recommendChart(samples.map((s) => s.n));
  const target = targetPercent === null ? null : targetPercent / (chart === 'p' ? 100 : 1);
  const result =
    chart === 'p'
      ? pChart(samples, { direction, target })
      : xmrChart(
          samples.map((s) => (s.successes / s.n) * 100),
          { direction, target, bounds: { lower: 0, upper: 100 } },
        );
  const scale = chart === 'p' ? 100 : 1;
  const last = result?.points.at(-1);
  return {
    measure,
    label: definition?.label ?? measure,
    chart,
    chartName: CHART_NAMES[chart],
    chartReason: reason,
    monthsWithheld: months.filter((m) => !shown.includes(m) && (proportions.get(m)?.[measure].of ?? 0) > 0),
    points: (result?.points ?? []).map((p, i) => ({
      month: shown[i] as string,
      percent: percent((p.value * scale) / 100),
      of: samples[i]?.n ?? 0,
      variation: p.variation,
      rules: p.rules,
    })),
    centrePercent: result ? percent((result.centre * scale) / 100) : null,
    limits: last
      ? {
          lower: percent((last.limits.lower * scale) / 100),
          upper: percent((last.limits.upper * scale) / 100),
        }
      : null,
    trial: result?.trial ?? true,
    targetPercent,
    variation: result ? VARIATION_ICON_NAMES[result.variationIcon] : null,
    assurance: result?.assurance ? ASSURANCE_ICON_NAMES[result.assurance] : null,
    narrative: narrative(result, (definition?.label ?? measure).toLowerCase(), {
      formatValue: (v) => formatPercent((v * scale) / 100),
    }),
  };
}
