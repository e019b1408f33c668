import type { ColumnSpec, ParsedCase, SheetSpec } from './formats';
import { matchHeaders } from './header-match';
import { mapColumns, valueKey, type ColumnMapping } from './mapping';
import type { ImportProblem } from './types';
import { BadValue, excelError, text, type Cell } from './values';

const REF_LIMIT = 64;
/** The most distinct unknown values kept for each coded column, to map. */
const UNKNOWN_VALUES_KEPT = 50;

/** Values of a coded column that are none of those it allows, for the admin to map. */
export interface UnknownValues {
  sheet: string;
  field: string;
  header: string;
  values: string[];
  allowed: readonly string[];
}

/** Reads the rows of one sheet (or CSV file) of a known format into cases, or into precise problems. */
export class SheetParser {
  /** Problems with the header itself: they make every row unusable. */
  readonly headerProblems: ImportProblem[] = [];
  private readonly columns: {
    spec: ColumnSpec;
    index: number;
    header: string;
    values?: Readonly<Record<string, string>>;
  }[] = [];
  /** Which header was read for which field, in the order of the format's columns. */
  readonly matched: { header: string; field: string }[];
  private readonly unknown = new Map<ColumnSpec, Set<string>>();

  constructor(
    readonly spec: SheetSpec,
    readonly sheet: string,
    header: readonly Cell[],
    headerLine: number,
    mapping?: ColumnMapping,
  ) {
    const headers = header.map((cell) => text(cell) ?? '');
    const matches = mapping
      ? mapColumns(mapping, spec, headers).matched
      : matchHeaders(headers, spec).map((m) => ({ column: m.column, header: m.header, index: m.index }));
    this.matched = matches.map((m) => ({ header: m.header, field: m.column.name }));
    for (const column of spec.columns) {
      const match = matches.find((m) => m.column === column);
      if (match)
        this.columns.push({
          spec: column,
          index: match.index,
          header: match.header,
          values: mapping?.values[column.name],
        });
      else if (column.column) {
        this.headerProblems.push({
          sheet,
          line: headerLine,
          column: column.name,
          value: null,
          reason: `the column "${column.name}" is missing`,
        });
      }
    }
  }

  parse(
    cells: readonly Cell[],
    line: number,
  ): { ok: true; parsed: ParsedCase } | { ok: false; problems: ImportProblem[]; parsed: ParsedCase } {
    const parsed: ParsedCase = {
      caseRef: '',
      caseType: this.spec.caseType ?? 'child-in-need',
      teamName: '',
      closed: false,
      restricted: false,
      attributes: {},
    };
    const problems: ImportProblem[] = [];
    for (const { spec, index, header, values } of this.columns) {
      const given = cells[index];
      const mapped = values ? values[valueKey(text(given) ?? '')] : undefined;
      const cell = mapped ?? given;
      const error = spec.value ? excelError(cell) : undefined;
      const value = error ? undefined : spec.read(cell);
      let reason: string | undefined;
      if (error) reason = `is an Excel error (${error}): ${spec.name} is needed for every row`;
      else if (value instanceof BadValue) {
        reason = value.reason;
        this.noteUnknown(spec, text(cell));
      } else if (value === undefined && spec.value) reason = `is blank: ${spec.name} is needed for every row`;
      else if (value !== undefined) spec.apply(parsed, value as never);
      if (reason)
        problems.push({
          sheet: this.sheet,
          line,
          column: header,
          value: text(cell) ?? excelError(cell) ?? null,
          reason,
        });
    }
    if (parsed.caseRef.length > REF_LIMIT) {
      problems.push({
        sheet: this.sheet,
        line,
        column: this.columns[0]?.header ?? null,
        value: parsed.caseRef.slice(0, 80),
        reason: `is longer than ${REF_LIMIT} characters`,
      });
    }
    // A row with problems still says what it could (its reference and team), so the checks of the whole file
    // (repeated children, unknown teams) report its other problems in the same pass.
    return problems.length > 0 ? { ok: false, problems, parsed } : { ok: true, parsed };
  }

  private noteUnknown(column: ColumnSpec, value: string | undefined): void {
    if (!column.allowed || value === undefined) return;
    const seen = this.unknown.get(column) ?? new Set<string>();
    this.unknown.set(column, seen);
    if (seen.size < UNKNOWN_VALUES_KEPT) seen.add(value);
  }

  /** The values of coded columns that none of their allowed values matched, each column's first 50. */
  unknownValues(): UnknownValues[] {
    return this.columns.flatMap(({ spec, header }) => {
      const values = this.unknown.get(spec);
      return values && spec.allowed
        ? [{ sheet: this.sheet, field: spec.name, header, values: [...values], allowed: spec.allowed }]
        : [];
    });
  }
}
