/**
 * The limits on uploaded files, in one place. Each is far above what a real file holds and far below what
 * would hurt the server: a file past one is refused with a message naming the limit, and the server goes on
 * serving. The README's Case lists and Audit frameworks sections state them; change both together.
 */

const MB = 1_048_576;

export interface ZipLimits {
  /** The workbook as uploaded. */
  packedBytes: number;
  /** Everything it unpacks to, counted as it is unpacked, not taken from what the file claims. */
  unpackedBytes: number;
  /** What any one part (a sheet, the shared strings) unpacks to. */
  entryBytes: number;
  /** Parts in the zip (a real workbook has a few dozen). */
  entries: number;
}

export interface WorkbookLimits extends ZipLimits {
  /** What the file is, for messages: "a case list". */
  what: string;
  rowsPerSheet: number;
  /** The last column a value may be in. */
  columns: number;
  cellsPerSheet: number;
  cellsPerWorkbook: number;
  sharedStrings: number;
  sharedStringCharacters: number;
  /** Excel's own limit for one cell. */
  cellCharacters: number;
}

export interface CsvLimits {
  what: string;
  /** One record: a line, or several when a quoted value holds line breaks. */
  lineBytes: number;
  columns: number;
}

/**
 * Case lists. A large council's Annex A workbook has tens of thousands of rows in its largest list and under
 * 100 columns: about a million cells, a few megabytes of shared strings. A sheet is read a row at a time,
 * so memory stays flat; the cell counts bound the time one upload can take.
 */
export const CASE_LIST_LIMITS: { xlsx: WorkbookLimits; csv: CsvLimits } = {
  xlsx: {
    what: 'a case list',
    packedBytes: 50 * MB,
    unpackedBytes: 500 * MB,
    entryBytes: 250 * MB,
    entries: 10_000,
    rowsPerSheet: 500_000,
    columns: 1_000,
    cellsPerSheet: 3_000_000,
    cellsPerWorkbook: 6_000_000,
    sharedStrings: 1_000_000,
    sharedStringCharacters: 20_000_000,
    cellCharacters: 32_767,
  },
  csv: { what: 'a case list', lineBytes: 1 * MB, columns: 1_000 },
};

/** Audit frameworks: a real framework workbook has a few hundred rows and is well under 1 MB unpacked. */
export const FRAMEWORK_LIMITS: { xlsx: WorkbookLimits; csv: CsvLimits } = {
  xlsx: {
    what: 'a framework',
    packedBytes: 5 * MB,
    unpackedBytes: 20 * MB,
    entryBytes: 10 * MB,
    entries: 1_000,
    rowsPerSheet: 10_000,
    columns: 100,
    cellsPerSheet: 200_000,
    cellsPerWorkbook: 500_000,
    sharedStrings: 100_000,
    sharedStringCharacters: 5_000_000,
    cellCharacters: 32_767,
  },
  csv: { what: 'a framework', lineBytes: 1 * MB, columns: 100 },
};

/**
 * The parts that describe a workbook (its list of sheets, their relationships, its cell formats) are read
 * whole: these bound how many items they may list. Excel itself allows 64,000 cell formats.
 */
export const WORKBOOK_STRUCTURE = { sheets: 1_000, relationships: 10_000, cellFormats: 65_536 } as const;
