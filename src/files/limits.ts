/**
 * The limits on uploaded files, in one place. Each is far above what a real file holds and far below what
 * would hurt the server: a file past one is refused with a message naming the limit, and the server goes on
 * serving. The README's Case lists and Audit frameworks sections state them; change both together.
 */

const MB = 1_048_576;

export interface CsvLimits {
  what: string;
  /** One record: a line, or several when a quoted value holds line breaks. */
  lineBytes: number;
  columns: number;
}

/** Case lists: a real one has under 100 columns and rows of a few hundred bytes. */
export const CASE_LIST_LIMITS: { csv: CsvLimits } = {
  csv: { what: 'a case list', lineBytes: 1 * MB, columns: 1_000 },
};

/** Audit frameworks: a real one has a few hundred rows, the widest table a dozen columns. */
export const FRAMEWORK_LIMITS: { csv: CsvLimits } = {
  csv: { what: 'a framework', lineBytes: 1 * MB, columns: 100 },
};
