import type { FieldError } from '../errors';
import { ValidationError } from '../errors';
import { one, type FormValues } from '../http/form-values';
import type { MappingNeed } from './import-service';
import {
  SPECS,
  mapColumns,
  parseMapping,
  specOf,
  specOfTarget,
  targetOf,
  valueKey,
  type ColumnMapping,
} from './mapping';
import { BadValue } from './values';

/** Sample values shown beside each header, and rows shown as they will be read. */
const SAMPLES = 3;

/** The mapping the admin chose on the page (form fields `target`, `name`, `column-N`, `value-U-V`). */
export function mappingFromForm(need: MappingNeed, body: FormValues): ColumnMapping & { name: string } {
  const errors: FieldError[] = [];
  const name = one(body, 'name');
  if (!name) errors.push({ field: 'name', message: 'Enter a name for this mapping, to use it again' });
  const spec = specOfTarget(one(body, 'target'));
  if (!spec) errors.push({ field: 'target', message: 'Select what kind of list this sheet is' });
  const columns: Record<string, string | null> = {};
  need.headers.forEach((header, i) => {
    if (header.trim()) columns[header] = one(body, `column-${i}`) || null;
  });
  const values: Record<string, Record<string, string>> = {};
  need.unknownValues.forEach((u, ui) =>
    u.values.forEach((value, vi) => {
      const chosen = one(body, `value-${ui}-${vi}`);
      if (chosen) (values[u.field] ??= {})[valueKey(value)] = chosen;
    }),
  );
  if (errors.length > 0 || !spec) throw new ValidationError('The column mapping is not complete.', errors);
  const mapping = parseMappingForPage(need, {
    name,
    format: spec.format,
    ...(spec.list ? { list: spec.list } : {}),
    columns,
    values,
  });
  const { missing } = mapColumns(mapping, spec, need.headers);
  if (missing.length > 0)
    throw new ValidationError(
      'Every field Case Audit needs must have a column.',
      missing.map((c) => ({ field: 'target', message: `Select the column that holds ${c.name}` })),
    );
  return { ...mapping, name };
}

/** parseMapping, with its errors pointed at the page's own fields. */
function parseMappingForPage(need: MappingNeed, raw: unknown): ColumnMapping {
  try {
    return parseMapping(raw);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(
      err.message,
      err.fieldErrors.map((e) => {
        const header = e.field.startsWith('columns.') ? e.field.slice('columns.'.length) : undefined;
        const index = header === undefined ? -1 : need.headers.indexOf(header);
        return index >= 0
          ? { field: `column-${index}`, message: `“${header}” ${e.message}` }
          : { field: 'target', message: `${e.field} ${e.message}` };
      }),
    );
  }
}

/** What the mapping page shows: headers with samples and the field chosen, coded values, rows as read. */
export function mappingView(need: MappingNeed, mapping: ColumnMapping & { name?: string }) {
  const spec = specOf(mapping) ?? SPECS[0];
  if (!spec) throw new Error('no formats');
  const { matched } = mapColumns(mapping, spec, need.headers);
  const fieldOf = (i: number) => matched.find((m) => m.index === i)?.column.name;
  const read = (field: string, cell: string) => {
    const column = spec.columns.find((c) => c.name === field);
    const value = column?.read(mapping.values[field]?.[valueKey(cell)] ?? cell);
    if (value instanceof BadValue) return { problem: `“${cell}” ${value.reason}` };
    return { text: typeof value === 'string' ? value : (JSON.stringify(value) ?? '') };
  };
  return {
    name: mapping.name ?? '',
    targets: SPECS.map((s) => ({
      value: targetOf(s),
      text: s.list ? `Annex A list ${s.list}: ${s.title}` : 'Case Audit case list',
      selected: s === spec,
    })),
    headers: need.headers.flatMap((header, i) =>
      header.trim()
        ? [
            {
              index: i,
              header,
              samples: need.sampleRows
                .slice(0, SAMPLES)
                .map((r) => r[i] ?? '')
                .filter(Boolean),
              options: spec.columns.map((c) => ({
                value: c.name,
                text: `${c.name}${c.column ? ' (needed)' : ''}`,
                selected: fieldOf(i) === c.name,
              })),
            },
          ]
        : [],
    ),
    unknownValues: need.unknownValues.map((u, ui) => ({
      ...u,
      index: ui,
      values: u.values.map((value, vi) => ({
        value,
        index: vi,
        options: u.allowed.map((a) => ({
          value: a,
          selected: mapping.values[u.field]?.[valueKey(value)] === a,
        })),
      })),
    })),
    preview: {
      fields: matched.map((m) => ({ field: m.column.name, header: m.header })),
      rows: need.sampleRows
        .slice(0, SAMPLES)
        .map((r) => matched.map((m) => read(m.column.name, r[m.index] ?? ''))),
    },
  };
}
