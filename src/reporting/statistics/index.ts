/**
 * Pure statistics for reporting: plain functions over plain data, no database, HTTP or I/O.
 * docs/statistics.md explains each in plain English.
 */
export { formatCount, formatNumber, formatPercent, formatRange } from './format';
export { narrative, type NarrativeOptions } from './narrative';
export {
  ASSURANCE_ICON_NAMES,
  BASELINE_POINTS,
  CHART_NAMES,
  DENOMINATOR_SPREAD,
  RUN_LENGTH,
  SMALL_DENOMINATOR,
  VARIATION_ICON_NAMES,
  XMR_LIMIT_FACTOR,
  XMR_OUTER_THIRD_FACTOR,
  pChart,
  recommendChart,
  xmrChart,
  type AssuranceIcon,
  type ChartType,
  type Direction,
  type Limits,
  type PointVariation,
  type Rule,
  type Sample,
  type Side,
  type SpcOptions,
  type SpcPoint,
  type SpcResult,
  type VariationIcon,
} from './spc';
export {
  FEWER_THAN_LIMIT,
  SUPPRESSION_LIMIT,
  formatFigure,
  suppressCount,
  suppressFigure,
  type Count,
  type Figure,
} from './suppression';
export { Z_95, wilsonInterval, type ProportionInterval } from './wilson';
