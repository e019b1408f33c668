/**
 * Files built to exhaust a server that reads them carelessly: small to upload, each inside the byte limits,
 * enormous once read.
 */

/** A CSV file whose second line holds `columns` empty columns. */
export function wideCsv(columns: number): Buffer {
  return Buffer.from(`case_reference,case_type,team\n${','.repeat(columns - 1)}\n`);
}

/** A CSV file whose second line is `megabytes` long with no line end. */
export function longLineCsv(megabytes: number): Buffer {
  return Buffer.concat([
    Buffer.from('case_reference,case_type,team\nC1,child-in-need,'),
    Buffer.alloc(megabytes * 1_048_576, 'x'),
  ]);
}
