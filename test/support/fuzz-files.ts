import fc from 'fast-check';
import { unzipSync, zipSync } from 'fflate';
import { unicodeText } from './fuzz-arbitraries';

/**
 * fast-check arbitraries for uploaded files: real files (case lists and frameworks, as CSV, XLSX and JSON)
 * cut short at any byte, with bytes flipped or spliced in, with a workbook's sheet or shared strings broken
 * inside a sound zip; zips of anything that are not workbooks; CSV of any cells; and bytes that are no file
 * at all. Each comes with a name and a content type that may or may not match it.
 */

export interface UploadFile {
  name: string;
  type: string | undefined;
  bytes: Buffer;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file cut short, with bytes flipped, or with bytes spliced in, at places drawn from its whole length. */
function damaged(file: Buffer): fc.Arbitrary<Buffer> {
  const at = fc.nat({ max: Math.max(file.length - 1, 0) });
  return fc.oneof(
    at.map((n) => file.subarray(0, n)),
    fc.array(fc.tuple(at, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const copy = Buffer.from(file);
      for (const [offset, mask] of flips) copy[offset] = (copy[offset] ?? 0) ^ mask;
      return copy;
    }),
    fc
      .tuple(at, fc.uint8Array({ minLength: 1, maxLength: 64 }))
      .map(([offset, bytes]) => Buffer.concat([file.subarray(0, offset), bytes, file.subarray(offset)])),
  );
}

/** A workbook whose zip is sound but one XML part is cut, or has text put in at any point. */
function brokenPart(workbook: Buffer): fc.Arbitrary<Buffer> {
  const parts = unzipSync(workbook);
  const names = Object.keys(parts).filter((name) => name.endsWith('.xml') || name.endsWith('.rels'));
  return fc
    .record({
      name: fc.constantFrom(...names),
      at: fc.nat(),
      cut: fc.boolean(),
      text: fc.oneof(
        unicodeText(20),
        fc.constantFrom(
          '<',
          '</row>',
          '<c r="A1" t="s"><v>99999</v></c>',
          '&bogus;',
          ']]>',
          '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
        ),
      ),
    })
    .map(({ name, at, cut, text }) => {
      const xml = Buffer.from(parts[name] as Uint8Array).toString('utf8');
      const i = at % Math.max(xml.length, 1);
      const broken = cut ? xml.slice(0, i) : xml.slice(0, i) + text + xml.slice(i);
      return Buffer.from(zipSync({ ...parts, [name]: Buffer.from(broken) }));
    });
}

/** Well-formed text with these characters taken out. */
const without = (text: string, characters: string): string =>
  [...text.toWellFormed()].filter((c) => !characters.includes(c)).join('');

/** A sound zip of any entries: names that climb out of folders, contents of any bytes. */
const anyZip: fc.Arbitrary<Buffer> = fc
  .dictionary(
    fc.oneof(
      fc.constantFrom('[Content_Types].xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', '../x', '/abs'),
      unicodeText(16).map((s) => without(s, '\u0000') || 'x'),
    ),
    fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      unicodeText(80).map((s) => Buffer.from(s)),
    ),
    { maxKeys: 5 },
  )
  .map((entries) => Buffer.from(zipSync(entries)));

/** CSV text of any cells, quoted or not, under a real header or none. */
function anyCsv(header: string): fc.Arbitrary<Buffer> {
  const cell = fc.oneof(
    unicodeText(20),
    fc.constantFrom('"', '""', '"a', 'a"b', ',', '\r', '\n', '\r\n', '=cmd|"/c calc"!A1', '\ufeff'),
  );
  return fc
    .record({
      withHeader: fc.boolean(),
      rows: fc.array(fc.array(cell, { maxLength: 20 }), { maxLength: 12 }),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
    })
    .map(({ withHeader, rows, eol }) =>
      Buffer.from([...(withHeader ? [header] : []), ...rows.map((row) => row.join(','))].join(eol)),
    );
}

/** Names as browsers and scripts send them: the right extension, the wrong one, none, or hostile. */
const fileName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('cases.csv', 'cases.xlsx', 'framework.json', 'framework.csv') },
  fc.constantFrom('upload', '../../etc/passwd.xlsx', 'x.XLSX', 'ü€.csv', '.xlsx', 'a"b.csv', 'a;b.csv'),
  // A name that could not go in a Content-Disposition header as it is.
  unicodeText(20).map((s) => without(s, '\u0000\r\n"')),
);

const contentType = fc.constantFrom(
  'text/csv',
  XLSX_TYPE,
  'application/json',
  'application/octet-stream',
  'text/plain',
  'application/zip',
  undefined,
);

/** Uploads made from these real files, broken in every way above. */
export function uploadFiles(
  real: { csv: Buffer[]; xlsx: Buffer[]; json: Buffer[] },
  header: string,
): fc.Arbitrary<UploadFile> {
  const all = [...real.csv, ...real.xlsx, ...real.json];
  const bytes = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...all) },
    { weight: 6, arbitrary: fc.constantFrom(...all).chain(damaged) },
    { weight: 3, arbitrary: fc.constantFrom(...real.xlsx).chain(brokenPart) },
    { weight: 2, arbitrary: anyZip },
    { weight: 2, arbitrary: anyCsv(header) },
    {
      weight: 1,
      arbitrary: fc
        .jsonValue({ maxDepth: 4, stringUnit: 'binary' })
        .map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)) },
  );
  return fc.record({ name: fileName, type: contentType, bytes });
}

/** A multipart body with the file in the field `file`, as a browser sends it; sometimes cut short. */
export function multipart(file: UploadFile, boundary: string, cutAt?: number): Buffer {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
      `${file.type ? `Content-Type: ${file.type}\r\n` : ''}\r\n`,
  );
  const whole = Buffer.concat([head, file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return cutAt === undefined ? whole : whole.subarray(0, cutAt % whole.length);
}

export { XLSX_TYPE };
