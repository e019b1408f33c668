/** One thing wrong with an import: where (sheet, line, column), the value, and why. */
export interface ImportProblem {
  sheet: string | null;
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

export type ImportFormat = 'native' | 'annex-a';
export type ImportMode = 'all-or-nothing' | 'skip-invalid';
export type UnknownTeams = 'create' | 'reject';

import type { ColumnMapping } from './mapping';

export interface ImportOptions {
  /** Detected from the headers when absent. */
  format?: ImportFormat;
  mode: ImportMode;
  unknownTeams: UnknownTeams;
  sourceName: string | null;
  /**
   * Column mappings sent with the import: each is used for the sheets whose headers include every header it
   * names. Without them, a sheet whose headers match a saved mapping's uses that.
   */
  mappings?: ColumnMapping[];
}

/** The most problems kept and reported; the rest are counted. */
export const PROBLEM_LIMIT = 1000;
