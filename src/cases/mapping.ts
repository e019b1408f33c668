import { createHash } from 'node:crypto';
import { ValidationError, type FieldError } from '../errors';
import {
  ANNEX_A_LISTS,
  NATIVE,
  detectSheet,
  normaliseHeader,
  type ColumnSpec,
  type SheetSpec,
} from './formats';
import { matchHeaders } from './header-match';
import type { ImportFormat } from './types';

/**
 * A column mapping: what a sheet is (native, or an Annex A list), which header feeds which field, and
 * council values mapped to the values a coded field allows. Headers are matched normalised (case, spacing
 * and punctuation aside); headers the mapping does not name are matched as usual to the fields left over.
 */
export interface ColumnMapping {
  /** Saved under this name (optional when sent with an import). */
  name?: string;
  format: ImportFormat;
  /** Annex A list 3 to 9; absent for native. */
  list?: number;
  /** Header → field name (as documented: `case_reference`, `Allocated Team`), or null for a header not read. */
  columns: Record<string, string | null>;
  /** Field name → { council value → allowed value }. */
  values: Record<string, Record<string, string>>;
}

/** The most headers, values and characters a mapping may hold: far above a real list's. */
export const MAPPING_LIMITS = { headers: 1000, valuesPerField: 200, text: 500, name: 100 } as const;

/** `native` or `list-7`: a sheet format as one word (form values, messages). */
export type Target = string;
export const targetOf = (spec: SheetSpec): Target => (spec.list ? `list-${spec.list}` : 'native');
export const SPECS: readonly SheetSpec[] = [NATIVE, ...ANNEX_A_LISTS];
export const specOfTarget = (target: unknown): SheetSpec | undefined =>
  SPECS.find((s) => targetOf(s) === target);
export const specOf = (m: Pick<ColumnMapping, 'format' | 'list'>): SheetSpec | undefined =>
  specOfTarget(m.format === 'native' ? 'native' : `list-${m.list}`);

/** The headers as a set, whatever their order, spelling of case or punctuation, and its hash for lookup. */
export function headerSet(headers: readonly string[]): { headers: string[]; hash: string } {
  const set = [...new Set(headers.map(normaliseHeader).filter(Boolean))].sort();
  return { headers: set, hash: createHash('sha256').update(JSON.stringify(set)).digest('hex') };
}

class MappingShape {
  readonly errors: FieldError[] = [];
  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }
  text(value: unknown, field: string, max: number = MAPPING_LIMITS.text): string | undefined {
    if (typeof value === 'string' && value.trim() !== '' && value.length <= max) return value.trim();
    this.fail(field, `must be text of 1 to ${max} characters`);
    return undefined;
  }
  record(value: unknown, field: string, max: number): Record<string, unknown> {
    if (value === undefined) return {};
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length <= max)
      return value as Record<string, unknown>;
    this.fail(field, `must be an object of at most ${max} entries`);
    return {};
  }
}

function bad(errors: FieldError[]): ValidationError {
  return new ValidationError(
    `The column mapping cannot be used: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}. Nothing was imported.`,
    errors,
  );
}

/**
 * A mapping as sent (JSON: `{ "name", "format", "list", "columns": { header: field|null }, "values":
 * { field: { council value: allowed value } } }`), checked against the fields of its format: an unknown
 * field, two headers for one field, a value mapped to one the field does not allow are refused (422).
 */
export function parseMapping(input: unknown): ColumnMapping {
  const shape = new MappingShape();
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw bad([{ field: 'mapping', message: 'must be a JSON object with format, columns and values' }]);
  const raw = input as Record<string, unknown>;
  const name = raw.name === undefined ? undefined : shape.text(raw.name, 'name', MAPPING_LIMITS.name);
  const list = raw.list === undefined || raw.list === null ? undefined : Number(raw.list);
  const format: ImportFormat =
    raw.format === 'native' || (raw.format === undefined && list === undefined) ? 'native' : 'annex-a';
  if (raw.format !== undefined && raw.format !== 'native' && raw.format !== 'annex-a')
    shape.fail('format', 'must be native or annex-a');
  const spec = specOf({ format, list });
  if (!spec) shape.fail('list', 'must be an Annex A list from 3 to 9');
  const columns: Record<string, string | null> = {};
  const fields = new Map(spec?.columns.map((c) => [c.name, c]));
  for (const [header, field] of Object.entries(
    shape.record(raw.columns, 'columns', MAPPING_LIMITS.headers),
  )) {
    if (field === null || field === '') columns[header] = null;
    else if (typeof field === 'string' && (!spec || fields.has(field))) columns[header] = field;
    else
      shape.fail(
        `columns.${header}`,
        `is not a field of ${spec?.title ?? 'the list'}: ${JSON.stringify(field)}`,
      );
  }
  const values: ColumnMapping['values'] = {};
  for (const [field, map] of Object.entries(shape.record(raw.values, 'values', MAPPING_LIMITS.headers))) {
    const column = fields.get(field);
    if (spec && !column?.allowed) {
      shape.fail(`values.${field}`, 'is not a coded field of the list');
      continue;
    }
    values[field] = {};
    for (const [from, to] of Object.entries(
      shape.record(map, `values.${field}`, MAPPING_LIMITS.valuesPerField),
    )) {
      if (typeof to === 'string' && column?.allowed?.includes(to)) values[field][valueKey(from)] = to;
      else shape.fail(`values.${field}.${from}`, `must be one of ${column?.allowed?.join(', ') ?? ''}`);
    }
  }
  const mapping = { ...(name ? { name } : {}), format, ...(list ? { list } : {}), columns, values };
  shape.errors.push(...duplicateFields(mapping));
  if (shape.errors.length > 0) throw bad(shape.errors);
  return mapping;
}

/** How a council value is looked up in a value mapping: trimmed, lower case. */
export const valueKey = (value: string): string => value.trim().toLowerCase();

function duplicateFields(mapping: ColumnMapping): FieldError[] {
  const byField = new Map<string, string[]>();
  for (const [header, field] of Object.entries(mapping.columns))
    if (field) byField.set(field, [...(byField.get(field) ?? []), header]);
  return [...byField]
    .filter(([, headers]) => headers.length > 1)
    .map(([field, headers]) => ({
      field: `columns.${headers[1]}`,
      message: `and ${headers
        .slice(0, -1)
        .map((h) => `"${h}"`)
        .join(', ')} both feed ${field}: choose one`,
    }));
}

/** Whether a mapping is for these headers: every header it names is one of them. */
export function mappingFits(mapping: ColumnMapping, headers: readonly string[]): boolean {
  const have = new Set(headers.map(normaliseHeader));
  return Object.keys(mapping.columns).every((h) => have.has(normaliseHeader(h)));
}

export interface MappedColumn {
  column: ColumnSpec;
  header: string;
  index: number;
}

/**
 * Which header feeds which field under a mapping: the mapping's own pairs first, then the usual matching
 * of the headers it does not name to the fields still free. Missing required fields are named.
 */
export function mapColumns(
  mapping: ColumnMapping,
  spec: SheetSpec,
  headers: readonly string[],
): { matched: MappedColumn[]; missing: ColumnSpec[] } {
  const named = new Map(Object.entries(mapping.columns).map(([h, f]) => [normaliseHeader(h), f]));
  const found = new Map<ColumnSpec, MappedColumn>();
  headers.forEach((header, index) => {
    const field = named.get(normaliseHeader(header));
    const column = field ? spec.columns.find((c) => c.name === field) : undefined;
    if (column && !found.has(column)) found.set(column, { column, header, index });
  });
  const rest = headers.map((h) => (named.has(normaliseHeader(h)) ? '' : h));
  const free = { ...spec, columns: spec.columns.filter((c) => !found.has(c)) };
  for (const m of matchHeaders(rest, free))
    found.set(m.column, { column: m.column, header: m.header, index: m.index });
  const matched = spec.columns.flatMap((c) => (found.has(c) ? [found.get(c) as MappedColumn] : []));
  return { matched, missing: spec.columns.filter((c) => c.column && !found.has(c)) };
}

/** The sheet a set of headers most likely is, when nothing recognised it: the best total of matches. */
export function likeliestSpec(headers: readonly string[], sheetName: string): SheetSpec {
  const detected = detectSheet(headers, sheetName);
  if (detected) return detected;
  const total = (spec: SheetSpec) => matchHeaders(headers, spec).reduce((sum, m) => sum + m.score, 0);
  return SPECS.map((spec) => ({ spec, score: total(spec) })).reduce((a, b) => (b.score > a.score ? b : a))
    .spec;
}

/** The best guesses for a sheet's headers, as a mapping to confirm or correct. */
export function suggestMapping(spec: SheetSpec, headers: readonly string[]): ColumnMapping {
  const columns: Record<string, string | null> = {};
  const matches = matchHeaders(headers, spec);
  for (const header of headers)
    if (header.trim() && !(header in columns))
      columns[header] = matches.find((m) => m.header === header)?.field ?? null;
  return { format: spec.format, ...(spec.list ? { list: spec.list } : {}), columns, values: {} };
}

/** A mapping as a saved record stores it: headers normalised. */
export function normalisedColumns(mapping: ColumnMapping): Record<string, string | null> {
  return Object.fromEntries(Object.entries(mapping.columns).map(([h, f]) => [normaliseHeader(h), f]));
}
