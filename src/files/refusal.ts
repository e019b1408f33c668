/** Where in a file a problem is, when it is known: the sheet (or file), and the row or line. */
export interface FilePosition {
  sheet?: string;
  line?: number;
}

/**
 * A file that cannot be read as it is, or that goes past a limit set to protect the service. The message
 * says what, in words the person who sent the file can act on; the position says where.
 */
export class FileRefused extends Error {
  constructor(
    message: string,
    readonly position: FilePosition = {},
  ) {
    super(message);
    this.name = 'FileRefused';
  }
}

/**
 * A workbook that is not a zip this reader can account for byte by byte, or whose parts are not what a
 * workbook holds: the reason in brackets, for whoever looks closer, and what to do.
 */
export function damagedWorkbook(why: string): FileRefused {
  return new FileRefused(
    `the workbook is damaged or not a real Excel file (${why}): save it again from Excel, as an .xlsx workbook, and try again`,
  );
}

/** A number as people write it: 1,000,000. */
export const counted = (n: number): string => n.toLocaleString('en-GB');

/** A size as people say it: "50 MB" (or in bytes, when under a megabyte). */
export const size = (bytes: number): string =>
  bytes >= 1_048_576 ? `${counted(Math.round(bytes / 1_048_576))} MB` : `${counted(bytes)} bytes`;
