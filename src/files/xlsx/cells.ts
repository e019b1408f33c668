/** A cell as the workbook reader gives it: text, a number, true or false, a date, an Excel error, or nothing. */
export type WorkbookCell = string | number | boolean | Date | { error: string } | null;

/** The last column Excel has (XFD). */
export const EXCEL_COLUMNS = 16_384;

/** A column's number from a cell reference ("B7" → 2), or undefined when the reference is not one. */
export function columnOf(reference: string): number | undefined {
  let column = 0;
  let i = 0;
  for (; i < reference.length; i++) {
    const code = reference.charCodeAt(i);
    if (code >= 65 && code <= 90) column = column * 26 + code - 64;
    else if (code >= 97 && code <= 122) column = column * 26 + code - 96;
    else break;
  }
  return i === 0 || i > 3 || column > EXCEL_COLUMNS ? undefined : column;
}

/** A column's letters: 1 → A, 1001 → ALM. */
export function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** An Excel date number as a date (days since 30 December 1899, or since 1 January 1904 in that system). */
export function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** Text as Excel escapes characters XML cannot hold: "_x000D_" is a carriage return. */
export function unescapeText(text: string): string {
  return text.includes('_x')
    ? text.replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;
}
