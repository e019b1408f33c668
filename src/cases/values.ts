/** A cell as readers give it: text (CSV), or what a workbook holds. */
export type Cell = string | number | boolean | Date | { error: string } | null | undefined;

/** A value that cannot be used, with the reason to report. */
export class BadValue {
  constructor(readonly reason: string) {}
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** Excel error cells (#N/A, #REF!…), as a workbook reader or a CSV export of one gives them. */
export function excelError(cell: Cell): string | undefined {
  if (cell && typeof cell === 'object' && 'error' in cell) return cell.error;
  // Most cells hold no '#': test that before the regular expression (this runs for every cell of every row).
  if (typeof cell === 'string' && cell.includes('#')) {
    const trimmed = cell.trim();
    if (/^#(N\/A|REF!|VALUE!|DIV\/0!|NAME\?|NULL!|NUM!)$/.test(trimmed)) return trimmed;
  }
  return undefined;
}

/** The cell as trimmed text, or undefined when blank. */
export function text(cell: Cell): string | undefined {
  if (cell === null || cell === undefined || excelError(cell)) return undefined;
  if (cell instanceof Date) return isoDate(cell);
  if (typeof cell === 'object') return undefined;
  const value = String(cell).trim();
  return value === '' ? undefined : value;
}

/** "a) Male", "p1) 5D: LA services" → "Male", "5D: LA services": Annex A values come with and without it. */
export function withoutLetterPrefix(value: string): string {
  return value.replace(/^[a-z]{1,2}\d?\)\s*/i, '');
}

/** "E1: Placement order", "f) U6: Foster placement - not FFA", "U6" → "E1", "U6". */
export function leadingCode(value: string): string {
  const bare = withoutLetterPrefix(value);
  return (/^([A-Z][A-Z0-9]{0,4})(\s*[:\-–]|$)/i.exec(bare)?.[1] ?? bare).toUpperCase();
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function validDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? isoDate(date)
    : undefined;
}

/**
 * A date as YYYY-MM-DD: from dd/mm/yyyy (the Annex A form), yyyy-mm-dd, a workbook date, or an Excel
 * serial number (days since 30 December 1899, as a sheet without date formatting shows them).
 */
export function date(cell: Cell): string | undefined | BadValue {
  if (cell instanceof Date)
    return Number.isNaN(cell.getTime()) ? new BadValue('is not a real date') : isoDate(cell);
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || cell < 1 || cell > 2958465)
      return new BadValue('is not a date or an Excel date number');
    return isoDate(new Date(EXCEL_EPOCH_MS + Math.floor(cell) * 86_400_000));
  }
  const value = text(cell);
  if (value === undefined) return undefined;
  let match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (match)
    return (
      validDate(Number(match[3]), Number(match[2]), Number(match[1])) ?? new BadValue('is not a real date')
    );
  match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value);
  if (match)
    return (
      validDate(Number(match[1]), Number(match[2]), Number(match[3])) ?? new BadValue('is not a real date')
    );
  if (/^\d{5}(\.\d+)?$/.test(value)) return date(Number(value));
  return new BadValue('must be a date as dd/mm/yyyy');
}

/** A whole number; fractions are rounded down (Annex A ages are often computed to many decimal places). */
export function wholeNumber(cell: Cell, min: number, max: number): number | undefined | BadValue {
  if (typeof cell === 'number') {
    return Number.isFinite(cell) && cell >= min && cell <= max + 1
      ? Math.floor(cell)
      : new BadValue(`must be a number from ${min} to ${max}`);
  }
  const value = text(cell);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^-?\d+(\.\d+)?$/.test(value) || number < min || number >= max + 1)
    return new BadValue(`must be a number from ${min} to ${max}`);
  return Math.floor(number);
}

/** yes / no, from "a) Yes", "Y", "true"…; unknown answers are "unknown" where allowed. */
export function yesNo(cell: Cell, allowUnknown: boolean): 'yes' | 'no' | 'unknown' | undefined | BadValue {
  const value = text(cell);
  if (value === undefined) return undefined;
  const bare = withoutLetterPrefix(value).toLowerCase();
  if (['yes', 'y', 'true', '1'].includes(bare)) return 'yes';
  if (['no', 'n', 'false', '0'].includes(bare)) return 'no';
  if (allowUnknown && ['unknown', 'not known', 'u'].includes(bare)) return 'unknown';
  return new BadValue(allowUnknown ? 'must be yes, no or unknown' : 'must be yes or no');
}

/** A label as a stable code: "Physical abuse" → "physical-abuse". */
export function slug(value: string): string {
  return withoutLetterPrefix(value)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export const CATEGORIES_OF_ABUSE: Record<string, string> = {
  neglect: 'neglect',
  'physical-abuse': 'physical-abuse',
  'sexual-abuse': 'sexual-abuse',
  'emotional-abuse': 'emotional-abuse',
  'multiple-not-recommended': 'multiple',
  multiple: 'multiple',
};
