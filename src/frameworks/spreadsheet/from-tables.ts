import type { FrameworkProblem } from '../types';
import { parseCondition } from './condition-syntax';
import {
  FIELD_KINDS,
  FRAMEWORK_FIELDS,
  LEVEL_COLUMNS,
  OPTIONAL_COLUMNS,
  OVERALL_DESCRIPTOR_PREFIX,
  PART_OF,
  QUESTION_COLUMNS,
  SECTION_COLUMNS,
  TABLES,
  TRIGGER_COLUMNS,
  type CellKind,
  type Column,
  type Table,
} from './layout';

type Json = Record<string, unknown>;

/** Where a value came from: table, row number in the file, column name. */
interface Location {
  table: string;
  row: number;
  column?: string;
}

export function describeLocation({ table, row, column }: Location): string {
  return `${table} row ${row}${column ? `, column "${column}"` : ''}`;
}

/**
 * Reads the tables of a framework spreadsheet into a framework document (still to be checked), and records
 * which cell each value came from, so that every later problem can name its row and column.
 */
export class TableReader {
  readonly problems: FrameworkProblem[] = [];
  private readonly locations = new Map<string, Location>();
  /** The question ids of the Questions table, which conditions may name. */
  private questionIds: ReadonlySet<string> = new Set();

  constructor(private readonly tables: Table[]) {}

  /** The row and column a JSON pointer came from: the longest recorded prefix of it. */
  locate(pointer: string): string | undefined {
    for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
      const location = this.locations.get(p);
      if (location) return describeLocation(location);
    }
    return undefined;
  }

  private problem(location: Location, message: string): void {
    this.problems.push({ pointer: describeLocation(location), message });
  }

  private table(name: string): Table | undefined {
    return this.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  /** Rows as records keyed by header, with each row's number; header checked against the layout. */
  private rows(spec: { name: string; header: readonly string[] }, required: boolean) {
    const table = this.table(spec.name);
    if (!table) {
      if (required)
        this.problems.push({
          pointer: spec.name,
          message: `is missing: the layout needs a ${spec.name} table`,
        });
      return [];
    }
    const header = table.header.map((h) => h.trim().toLowerCase());
    const missing = spec.header.filter((h) => !header.includes(h) && !OPTIONAL_COLUMNS[spec.name]?.has(h));
    if (missing.length > 0) {
      this.problems.push({
        pointer: `${spec.name} header`,
        message: `is missing the column(s) ${missing.map((m) => `"${m}"`).join(', ')}`,
      });
      return [];
    }
    return table.rows.map((cells, i) => {
      const row = table.rowNumbers?.[i] ?? i + 2;
      const record = Object.fromEntries(spec.header.map((h) => [h, cells[header.indexOf(h)] ?? '']));
      return { record, row, at: (column: string): Location => ({ table: spec.name, row, column }) };
    });
  }

  private set(target: Json, key: string, pointer: string, location: Location, value: unknown): void {
    this.locations.set(pointer, location);
    if (value !== undefined) target[key] = value;
  }

  /** A cell as the kind of value its column holds; undefined when empty (or, with a problem, unreadable). */
  private parse(kind: CellKind, cell: string, location: Location): unknown {
    if (kind === 'text') return cell === '' ? undefined : cell;
    if (cell.trim() === '') return undefined;
    switch (kind) {
      case 'id':
        return cell.trim();
      case 'list':
        return cell.split(',').map((item) => item.trim());
      case 'flag':
        return this.flag(cell, location);
      case 'grading':
        return this.grading(cell, location);
      case 'number':
        return this.number(cell, location);
      case 'options':
        return this.options(cell, location);
      case 'condition':
        return this.condition(cell, location);
      case 'prefill':
        return this.prefill(cell, location);
      case 'reaudit':
        return this.reaudit(cell, location);
    }
  }

  /** Sets each column's value on `target`, remembering the cell each JSON pointer came from. */
  private fill(
    target: Json,
    pointer: string,
    record: Record<string, string>,
    at: (column: string) => Location,
    columns: readonly Column[],
  ): void {
    this.locations.set(pointer, at(columns[0]?.[0] ?? ''));
    for (const [column, key, kind] of columns) {
      const value = this.parse(kind, record[column] ?? '', at(column));
      // A key a.b fills field b of the object a, made when a value comes.
      const [head, field] = key.split('.') as [string, string | undefined];
      if (field !== undefined) {
        const object = (target[head] ?? (value === undefined ? {} : (target[head] = {}))) as Json;
        this.set(object, field, `${pointer}/${head}/${field}`, at(column), value);
      } else if (kind === 'grading') {
        // yes / no fill graded, as the first layout did; optional fills grading.
        const optional = value === 'optional';
        this.set(target, 'grading', `${pointer}/grading`, at(column), optional ? value : undefined);
        this.set(target, key, `${pointer}/${key}`, at(column), optional ? undefined : value);
      } else this.set(target, key, `${pointer}/${key}`, at(column), value);
    }
  }

  private flag(cell: string, location: Location): boolean | undefined {
    const value = cell.trim().toLowerCase();
    if (['yes', 'true', 'y'].includes(value)) return true;
    if (['no', 'false', 'n'].includes(value)) return false;
    this.problem(location, `must be yes or no, not "${cell}"`);
    return undefined;
  }

  /** yes or required, no or none, or optional (the auditor may leave the grade out). */
  private grading(cell: string, location: Location): boolean | 'optional' | undefined {
    const value = cell.trim().toLowerCase();
    if (value === 'optional') return value;
    if (['yes', 'true', 'y', 'required'].includes(value)) return true;
    if (['no', 'false', 'n', 'none'].includes(value)) return false;
    this.problem(location, `must be yes, no or optional, not "${cell}"`);
    return undefined;
  }

  private number(cell: string, location: Location): number | undefined {
    const value = Number(cell.trim());
    if (!Number.isFinite(value)) this.problem(location, `must be a number, not "${cell}"`);
    return Number.isFinite(value) ? value : undefined;
  }

  /** yes, no, or the working days after closing that the re-audit is due. */
  private reaudit(cell: string, location: Location): boolean | Json | undefined {
    if (/^\s*-?\d+(\.\d*)?\s*$/.test(cell)) return { afterWorkingDays: Number(cell.trim()) };
    const value = cell.trim().toLowerCase();
    if (['yes', 'true', 'y'].includes(value)) return true;
    if (['no', 'false', 'n'].includes(value)) return false;
    this.problem(location, `must be yes, no or a number of working days, not "${cell}"`);
    return undefined;
  }

  /** A condition in the syntax of condition-syntax.ts, such as "seen-alone = no and age >= 10". */
  private condition(cell: string, location: Location): unknown {
    const parsed = parseCondition(cell, this.questionIds);
    if (!parsed.ok) this.problem(location, parsed.message);
    return parsed.ok ? parsed.condition : undefined;
  }

  /** "field", or "field: imported=answer, imported=answer". */
  private prefill(cell: string, location: Location): Json | undefined {
    const match = /^\s*([A-Za-z]+)\s*(?::\s*(.*?))?\s*$/.exec(cell);
    if (!match) {
      this.problem(location, `must be "field" or "field: value=answer, value=answer", not "${cell}"`);
      return undefined;
    }
    const [, from, list] = match as unknown as [string, string, string | undefined];
    if (list === undefined || list === '') return { from };
    const values: Record<string, string> = {};
    for (const pair of list.split(',')) {
      const [imported, answer] = pair.split('=').map((part) => part.trim());
      if (!imported || !answer)
        this.problem(location, `each value must be "value=answer", not "${pair.trim()}"`);
      else values[imported] = answer;
    }
    return { from, values };
  }

  private options(cell: string, location: Location): Json[] {
    return cell
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const match = /^\s*([^:]+?)\s*:\s?(.*)$/.exec(line);
        if (!match) this.problem(location, `each line must be "value: label", not "${line}"`);
        return { value: match?.[1] ?? line.trim(), label: match?.[2] ?? '' };
      });
  }

  private readFramework(document: Json): void {
    // Fields such as overall.rule fill an object of the document: overall always, the others when given.
    const overall: Json = {};
    const objects: Record<string, Json> = { overall };
    const fields = new Map(FRAMEWORK_FIELDS);
    for (const { record, at } of this.rows(TABLES.framework, true)) {
      const field = record.field?.trim() ?? '';
      const value = record.value ?? '';
      if (field.startsWith(OVERALL_DESCRIPTOR_PREFIX)) {
        const code = field.slice(OVERALL_DESCRIPTOR_PREFIX.length);
        this.set(
          (overall.descriptors ??= {}) as Json,
          code,
          `/overall/descriptors/${code}`,
          at('value'),
          this.parse('text', value, at('value')),
        );
        continue;
      }
      const pointer = fields.get(field);
      if (!pointer) {
        this.problem(at('field'), `"${field}" is not a framework field (${[...fields.keys()].join(', ')})`);
        continue;
      }
      const [, head, tail] = pointer.split('/') as [string, string, string | undefined];
      this.set(
        tail === undefined ? document : (objects[head] ??= {}),
        tail ?? head,
        pointer,
        at('value'),
        this.parse(FIELD_KINDS[field] ?? 'id', value, at('value')),
      );
    }
    for (const [key, object] of Object.entries(objects))
      if (object === overall || Object.keys(object).length > 0) document[key] = object;
  }

  private readScales(document: Json): void {
    const scales: Json[] = [];
    for (const { record, at } of this.rows(TABLES.scales, false)) {
      const id = this.parse('id', record.scale ?? '', at('scale'));
      let s = scales.findIndex((scale) => scale.id === id);
      if (s < 0) {
        s = scales.push({ levels: [] }) - 1;
        this.set(scales[s] as Json, 'id', `/scales/${s}/id`, at('scale'), id);
      }
      const scale = scales[s] as Json;
      // The label and description are given once, on the scale's first row.
      for (const [column, key] of [
        ['scale label', 'label'],
        ['scale description', 'description'],
      ] as const) {
        if (record[column]) this.set(scale, key, `/scales/${s}/${key}`, at(column), record[column]);
      }
      const levels = scale.levels as Json[];
      const level: Json = {};
      this.fill(level, `/scales/${s}/levels/${levels.length}`, record, at, LEVEL_COLUMNS);
      levels.push(level);
    }
    if (scales.length > 0) document.scales = scales;
  }

  /** The ids in the Questions table, read before any condition naming them. */
  private readQuestionIds(): void {
    const table = this.table(TABLES.questions.name);
    const column = table?.header.map((h) => h.trim().toLowerCase()).indexOf('question') ?? -1;
    if (table && column >= 0)
      this.questionIds = new Set(table.rows.map((cells) => (cells[column] ?? '').trim()));
  }

  /** A section or part from its row of the Sections table. */
  private block(p: string, record: Record<string, string>, at: (column: string) => Location): Json {
    const block: Json = {};
    this.fill(block, p, record, at, SECTION_COLUMNS);
    block.questions = [];
    this.locations.set(`${p}/questions`, at('section'));
    return block;
  }

  /**
   * The Sections table: the sections in order, then each part added to the section its "part of" cell
   * names. Returns each section and part by id, with its JSON pointer, for the rows that name them.
   */
  private readSections(document: Json): Map<string, { block: Json; p: string }> {
    const blocks = new Map<string, { block: Json; p: string }>();
    const add = (block: Json, p: string) => {
      if (typeof block.id === 'string' && !blocks.has(block.id)) blocks.set(block.id, { block, p });
    };
    const rows = this.rows(TABLES.sections, true).map((row) => ({
      ...row,
      partOf: (row.record[PART_OF] ?? '').trim(),
    }));
    const sections: Json[] = [];
    for (const { record, at } of rows.filter((row) => row.partOf === '')) {
      const p = `/sections/${sections.length}`;
      const section = this.block(p, record, at);
      add(section, p);
      sections.push(section);
    }
    const partIds = new Set(rows.filter((row) => row.partOf !== '').map((row) => row.record.section?.trim()));
    for (const { record, at, partOf } of rows.filter((row) => row.partOf !== '')) {
      const index = sections.findIndex((section) => section.id === partOf);
      const section = sections[index];
      if (!section) {
        this.problem(
          at(PART_OF),
          partIds.has(partOf)
            ? `"${partOf}" is a part, and parts do not nest: name a section`
            : `"${partOf}" is not a section in the ${TABLES.sections.name} table`,
        );
        continue;
      }
      const parts = (section.parts ??= []) as Json[];
      if (parts.length === 0) this.locations.set(`/sections/${index}/parts`, at(PART_OF));
      const p = `/sections/${index}/parts/${parts.length}`;
      const part = this.block(p, record, at);
      add(part, p);
      parts.push(part);
    }
    document.sections = sections;
    return blocks;
  }

  /** The framework document the tables describe, or undefined when a table is missing or unusable. */
  read(): unknown {
    const document: Json = {};
    this.readQuestionIds();
    this.readFramework(document);
    this.readScales(document);
    const blocks = this.readSections(document);

    const sectionFor = (cell: string, location: Location): { section: Json; p: string } | undefined => {
      const found = blocks.get(cell.trim());
      if (!found) {
        this.problem(location, `"${cell}" is not a section or part in the ${TABLES.sections.name} table`);
        return undefined;
      }
      return { section: found.block, p: found.p };
    };

    for (const { record, at } of this.rows(TABLES.descriptors, false)) {
      const found = sectionFor(record.section ?? '', at('section'));
      const code = this.parse('id', record.grade ?? '', at('grade'));
      if (found && typeof code !== 'string') this.problem(at('grade'), 'is required');
      if (!found || typeof code !== 'string') continue;
      const descriptors = (found.section.descriptors ??= {}) as Json;
      this.set(
        descriptors,
        code,
        `${found.p}/descriptors/${code}`,
        at('descriptor'),
        this.parse('text', record.descriptor ?? '', at('descriptor')),
      );
    }

    for (const { record, at } of this.rows(TABLES.questions, true)) {
      const found = sectionFor(record.section ?? '', at('section'));
      if (!found) continue;
      const questions = found.section.questions as Json[];
      const question: Json = {};
      this.fill(question, `${found.p}/questions/${questions.length}`, record, at, QUESTION_COLUMNS);
      questions.push(question);
    }

    const triggers: Json[] = [];
    for (const { record, at } of this.rows(TABLES.remediation, false)) {
      const trigger: Json = {};
      this.fill(trigger, `/remediation/triggers/${triggers.length}`, record, at, TRIGGER_COLUMNS);
      triggers.push(trigger);
    }
    // Merged with what the Framework table gave (the re-audit), never in place of it.
    if (triggers.length > 0)
      document.remediation = { triggers, ...(document.remediation as Json | undefined) };
    return document;
  }
}
