import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One figure of a benchmark, as it appears in the table printed at the end of a run. */
export interface ResultRow {
  bench: string;
  figure: string;
  value: number;
  unit: string;
  /** What the figure is compared with (a target bound or an earlier measurement), in the same unit. */
  reference?: number;
  ratio?: number;
  target?: string;
  met?: boolean;
  /** Why a figure that misses its target is acceptable, shown instead of "no". */
  explained?: string;
}

/** The rows of one bench: `const row = rowsOf('pack'); row('peak RSS', 230, 'MB', { target: '< 300 MB', met: true })`. */
export const rowsOf =
  (bench: string) =>
  (figure: string, value: number, unit: string, extra: Partial<ResultRow> = {}): ResultRow => ({
    bench,
    figure,
    value,
    unit,
    ...extra,
  });

/** How a figure of `runs` runs is taken, for its label: `1 run`, or `median of 3`. */
export const medianOf = (runs: number) => (runs === 1 ? '1 run' : `median of ${runs}`);

/** The PostgreSQL version seen by the run, recorded by benchDatabase() for the results header. */
export const runInfo: { postgres?: string } = {};

/** Whole numbers and anything from 1,000 up as whole numbers with separators, else 4 significant digits. */
const format = (value: number) =>
  Number.isInteger(value) || Math.abs(value) >= 1000
    ? Math.round(value).toLocaleString('en-GB')
    : value.toPrecision(4).replace(/\.?0+$/, '');
const withUnit = (value: number, unit: string) => (unit ? `${format(value)} ${unit}` : format(value));

function metCell(row: ResultRow): string {
  if (row.met === undefined) return '';
  if (row.met) return 'yes';
  return row.explained ? `explained: ${row.explained}` : 'no';
}

/** The rows as a Markdown table, its columns aligned: readable in a terminal and in bench/RESULTS.md. */
export function resultsTable(rows: ResultRow[]): string {
  const header = ['bench', 'figure', 'value', 'reference', 'ratio', 'target', 'met'];
  const lines = rows.map((row) => [
    row.bench,
    row.figure,
    withUnit(row.value, row.unit),
    row.reference === undefined ? '' : withUnit(row.reference, row.unit),
    row.ratio === undefined
      ? row.reference
        ? (row.value / row.reference).toFixed(2)
        : ''
      : row.ratio.toFixed(2),
    row.target ?? '',
    metCell(row),
  ]);
  // Padded as Prettier lays out a Markdown table, so that bench/RESULTS.md passes `prettier --check`.
  const widths = header.map((_, i) =>
    Math.max(3, ...[header, ...lines].map((cells) => cells[i]?.length ?? 0)),
  );
  const pad = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] as number));
  return [pad(header), widths.map((width) => '-'.repeat(width)), ...lines.map(pad)]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n');
}

/** The machine the figures were measured on: they mean little without it. */
export function machineLines(totalMs: number): string[] {
  const cpus = os.cpus();
  return [
    `- Date: ${new Date().toISOString()}`,
    `- CPUs: ${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    `- Node: ${process.version}`,
    `- PostgreSQL: ${runInfo.postgres ?? 'unknown'}${process.env.DATABASE_URL ? ' (DATABASE_URL)' : ' (embedded)'}`,
    `- Whole run: ${(totalMs / 60000).toFixed(1)} min`,
  ];
}

/** Writes the table with its machine to `file` under bench/. */
export function writeResults(file: string, rows: ResultRow[], totalMs: number, command: string): string {
  const target = path.join(__dirname, file);
  writeFileSync(
    target,
    [
      '# Benchmark results',
      '',
      `Written by \`${command}\`. The machine may have been shared while it ran: figures are noisy.`,
      '',
      ...machineLines(totalMs),
      '',
      resultsTable(rows),
      '',
    ].join('\n'),
  );
  return target;
}
