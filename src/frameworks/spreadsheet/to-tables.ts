import type { AnswerCondition, Framework, Prefill } from '../types';
import {
  FIELD_KINDS,
  FRAMEWORK_FIELDS,
  LEVEL_COLUMNS,
  OVERALL_DESCRIPTOR_PREFIX,
  QUESTION_COLUMNS,
  SECTION_COLUMNS,
  TABLES,
  TABLE_ORDER,
  TRIGGER_COLUMNS,
  type CellKind,
  type Column,
  type Table,
} from './layout';

export function conditionText(condition: AnswerCondition): string {
  if (condition.includes !== undefined) return `${condition.question} includes ${condition.includes}`;
  if (condition.in !== undefined) return `${condition.question} in ${condition.in.join(', ')}`;
  return `${condition.question} = ${condition.equals ?? ''}`;
}

/** A value as the cell its column holds: the inverse of how from-tables.ts reads it. */
function cell(kind: CellKind, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (kind) {
    case 'flag':
      return value ? 'yes' : 'no';
    case 'list':
      return (value as string[]).join(', ');
    case 'options':
      return (value as { value: string; label: string }[]).map((o) => `${o.value}: ${o.label}`).join('\n');
    case 'condition':
      return conditionText(value as AnswerCondition);
    case 'reaudit':
      return typeof value === 'boolean'
        ? cell('flag', value)
        : String((value as { afterWorkingDays: number }).afterWorkingDays);
    case 'prefill': {
      const { from, values } = value as Prefill;
      const pairs = Object.entries(values ?? {}).map(([imported, answer]) => `${imported}=${answer}`);
      return values ? `${from}: ${pairs.join(', ')}` : from;
    }
    default:
      // id, text and number cells hold strings and numbers.
      return typeof value === 'number' ? String(value) : (value as string);
  }
}

/** A row in the table's header order, from an object's fields and any extra cells (such as its section). */
function row(
  header: readonly string[],
  columns: readonly Column[],
  object: object,
  extra: Record<string, string> = {},
): string[] {
  const byColumn = new Map(
    columns.map(([column, key, kind]) => [column, cell(kind, (object as Record<string, unknown>)[key])]),
  );
  return header.map((column) => extra[column] ?? byColumn.get(column) ?? '');
}

function frameworkRows(framework: Framework): string[][] {
  const valueOf = (pointer: string): unknown =>
    pointer
      .split('/')
      .slice(1)
      .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], framework);
  return [
    ...FRAMEWORK_FIELDS.map(([field, pointer]) => [
      field,
      cell(FIELD_KINDS[field] ?? 'id', valueOf(pointer)),
    ]).filter(([, value]) => value !== ''),
    ...Object.entries(framework.overall.descriptors ?? {}).map(([code, d]) => [
      `${OVERALL_DESCRIPTOR_PREFIX}${code}`,
      d,
    ]),
  ];
}

/** A framework as the tables of its spreadsheet layout. */
export function toTables(framework: Framework): Table[] {
  const rows: Record<string, string[][]> = {
    [TABLES.framework.name]: frameworkRows(framework),
    [TABLES.scales.name]: framework.scales.flatMap((scale) =>
      scale.levels.map((level, i) =>
        row(TABLES.scales.header, LEVEL_COLUMNS, level, {
          scale: scale.id,
          // The scale's label and description are given once, on its first row.
          'scale label': i === 0 ? scale.label : '',
          'scale description': i === 0 ? (scale.description ?? '') : '',
        }),
      ),
    ),
    [TABLES.sections.name]: framework.sections.map((s) => row(TABLES.sections.header, SECTION_COLUMNS, s)),
    [TABLES.descriptors.name]: framework.sections.flatMap((s) =>
      Object.entries(s.descriptors ?? {}).map(([code, descriptor]) => [s.id, code, descriptor]),
    ),
    [TABLES.questions.name]: framework.sections.flatMap((s) =>
      s.questions.map((q) => row(TABLES.questions.header, QUESTION_COLUMNS, q, { section: s.id })),
    ),
    [TABLES.remediation.name]: (framework.remediation?.triggers ?? []).map((t) =>
      row(TABLES.remediation.header, TRIGGER_COLUMNS, t),
    ),
  };
  return TABLE_ORDER.map((table) => ({
    name: table.name,
    header: [...table.header],
    rows: rows[table.name] ?? [],
  }));
}
