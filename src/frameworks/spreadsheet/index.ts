import { checkFramework, checkFrameworkJson, type CheckResult } from '../load';
import type { Framework } from '../types';
import { csvToTables, tablesToCsv } from './csv';
import { TableReader } from './from-tables';
import type { Table } from './layout';
import { toTables } from './to-tables';
import { tablesToXlsx, xlsxToTables } from './xlsx';

export type FrameworkFormat = 'json' | 'csv' | 'xlsx';
export const FORMATS: readonly FrameworkFormat[] = ['json', 'csv', 'xlsx'];

export const CONTENT_TYPES: Record<FrameworkFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Checks the tables of a framework spreadsheet; problems name the table, row and column. */
export function checkFrameworkTables(tables: Table[]): CheckResult {
  const reader = new TableReader(tables);
  const document = reader.read();
  if (reader.problems.length > 0) return { ok: false, problems: reader.problems };
  const result = checkFramework(document);
  if (result.ok) return result;
  return {
    ok: false,
    problems: result.problems.map((problem) => ({
      pointer:
        reader.locate(problem.pointer) ??
        (problem.pointer.split('/').length === 2
          ? `Framework table, field "${problem.pointer.slice(1)}"`
          : problem.pointer),
      message: problem.message,
    })),
  };
}

/** The format of an uploaded file, from its name, or failing that its first bytes. */
export function detectFormat(data: Buffer, fileName = ''): FrameworkFormat {
  const extension = /\.(json|csv|xlsx)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension) return extension as FrameworkFormat;
  if (data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  return /^\s*[{[]/.test(
    data
      .subarray(0, 64)
      .toString('utf8')
      .replace(/^\uFEFF/, ''),
  )
    ? 'json'
    : 'csv';
}

/** Checks a framework file in any supported format. */
export async function checkFrameworkData(data: Buffer, fileName = ''): Promise<CheckResult> {
  const format = detectFormat(data, fileName);
  if (format === 'json') return checkFrameworkJson(data.toString('utf8'));
  const read = format === 'csv' ? csvToTables(data.toString('utf8')) : await xlsxToTables(data);
  return read.ok ? checkFrameworkTables(read.tables) : { ok: false, problems: read.problems };
}

/** A framework in the given format, ready to download. */
export async function exportFramework(framework: Framework, format: FrameworkFormat): Promise<Buffer> {
  if (format === 'json') return Buffer.from(`${JSON.stringify(framework, null, 2)}\n`);
  const tables = toTables(framework);
  return format === 'csv' ? Buffer.from(tablesToCsv(tables)) : tablesToXlsx(tables);
}
