import { formatValue, VARIATION_STYLE } from './charts/spc';
import type { ChartSpec, GradeBarsSpec, HeatmapSpec, SpcSpec, Table } from './model';

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((part / whole) * 100)}%`;
}

type Body = Pick<Table, 'columns' | 'rows'>;

const right = (header: string) => ({ header, align: 'right' as const });

function gradeBarsBody(spec: GradeBarsSpec): Body {
  return {
    columns: [...spec.grades.map((grade) => right(grade.label)), right('Total')],
    rows: spec.rows.map((row) => {
      const total = spec.grades.reduce((sum, grade) => sum + (row.counts[grade.code] ?? 0), 0);
      const counts = spec.grades.map((grade) => {
        const count = row.counts[grade.code] ?? 0;
        return `${count} (${percent(count, total)})`;
      });
      return [row.label, ...counts, String(total)];
    }),
  };
}

function spcBody(spec: SpcSpec): Body {
  const value = (v: number) => formatValue(v, spec.format);
  return {
    columns: [right('Value'), { header: 'Variation', align: 'left' }],
    rows: [
      ...spec.points.map((p) => [p.label, value(p.value), VARIATION_STYLE[p.variation].label]),
      ['Mean', value(spec.mean), '–'],
      [spec.trial ? 'Upper trial limit' : 'Upper limit', value(spec.upper), '–'],
      [spec.trial ? 'Lower trial limit' : 'Lower limit', value(spec.lower), '–'],
      ...(spec.target === undefined ? [] : [['Target', value(spec.target), '–']]),
    ],
  };
}

function heatmapBody(spec: HeatmapSpec): Body {
  return {
    columns: spec.columns.map(right),
    rows: spec.rows.map((row, r) => [row, ...spec.columns.map((_, c) => String(spec.values[r]?.[c] ?? '–'))]),
  };
}

function body(spec: ChartSpec): Body {
  switch (spec.kind) {
    case 'grade-bars':
      return gradeBarsBody(spec);
    case 'spc':
      return spcBody(spec);
    case 'heatmap':
      return heatmapBody(spec);
  }
}

/** A chart's data as the table that follows it, each row headed by its label; `rowHeader` heads those. */
export function chartDataTable(spec: ChartSpec, caption: string, rowHeader: string): Table {
  const { columns, rows } = body(spec);
  return {
    kind: 'table',
    caption,
    rowHeaders: true,
    columns: [{ header: rowHeader, align: 'left' }, ...columns],
    rows,
  };
}
