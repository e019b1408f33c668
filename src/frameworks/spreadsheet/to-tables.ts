import { blocksOf, gradingOf } from '../blocks';
import type { Condition, Framework, Grading, Prefill } from '../types';
import { printCondition, type QuestionIds } from './condition-syntax';
import {
  FIELD_KINDS,
  FRAMEWORK_FIELDS,
  LEVEL_COLUMNS,
  OVERALL_DESCRIPTOR_PREFIX,
  PART_OF,
  QUESTION_COLUMNS,
  SECTION_COLUMNS,
  TABLES,
  TABLE_ORDER,
  TRIGGER_COLUMNS,
  type CellKind,
  type Column,
  type Table,
} from './layout';

const GRADING_CELLS: Record<Grading, string> = { required: 'yes', none: 'no', optional: 'optional' };

/**
 * A value as the cell its column holds: the inverse of how from-tables.ts reads it. Conditions name the
 * framework's questions (so that a question with a case fact's name reads back as the question).
 */
function cell(kind: CellKind, value: unknown, questions: QuestionIds = new Set()): string {
  if (value === undefined || value === null) return '';
  switch (kind) {
    case 'flag':
      return value ? 'yes' : 'no';
    case 'grading':
      return GRADING_CELLS[value as Grading];
    case 'list':
      return (value as string[]).join(', ');
    case 'options':
      return (value as { value: string; label: string }[]).map((o) => `${o.value}: ${o.label}`).join('\n');
    case 'condition':
      return printCondition(value as Condition, questions);
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

/** The field `key` (or `a.b`, a field of a field) of an object. */
const field = (object: object, key: string): unknown =>
  key.split('.').reduce<unknown>((value, k) => (value as Record<string, unknown> | undefined)?.[k], object);

/** A row in the table's header order, from an object's fields and any extra cells (such as its section). */
function row(
  header: readonly string[],
  columns: readonly Column[],
  object: object,
  extra: Record<string, string> = {},
  questions?: QuestionIds,
): string[] {
  const byColumn = new Map(
    columns.map(([column, key, kind]) => [column, cell(kind, field(object, key), questions)]),
  );
  return header.map((column) => extra[column] ?? byColumn.get(column) ?? '');
}

function frameworkRows(framework: Framework): string[][] {
  // An overall judgement without a grade has no scale to give: normalising fills in the default again.
  const ungraded = framework.overall.grading === 'none';
  return [
    ...FRAMEWORK_FIELDS.map(([name, pointer]) => [
      name,
      cell(FIELD_KINDS[name] ?? 'id', field(framework, pointer.slice(1).replaceAll('/', '.'))),
    ]).filter(([name, value]) => value !== '' && !(ungraded && name === 'overall.scale')),
    ...Object.entries(framework.overall.descriptors ?? {}).map(([code, d]) => [
      `${OVERALL_DESCRIPTOR_PREFIX}${code}`,
      d,
    ]),
  ];
}

/** A framework as the tables of its spreadsheet layout. */
export function toTables(framework: Framework): Table[] {
  const blocks = blocksOf(framework);
  const questions = new Set(blocks.flatMap(({ block }) => block.questions.map((q) => q.id)));
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
    // Each section, then its parts, which name it in their "part of" column.
    [TABLES.sections.name]: blocks.map(({ block, parentId }) =>
      row(
        TABLES.sections.header,
        SECTION_COLUMNS,
        { ...block, graded: gradingOf(block) },
        { [PART_OF]: parentId ?? '' },
        questions,
      ),
    ),
    [TABLES.descriptors.name]: blocks.flatMap(({ block }) =>
      Object.entries(block.descriptors ?? {}).map(([code, descriptor]) => [block.id, code, descriptor]),
    ),
    [TABLES.questions.name]: blocks.flatMap(({ block }) =>
      block.questions.map((q) =>
        row(TABLES.questions.header, QUESTION_COLUMNS, q, { section: block.id }, questions),
      ),
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
