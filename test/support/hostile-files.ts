import { part, streamedPart, zip, type ZipPart } from './zip';

/**
 * Workbooks and CSV files built to exhaust a server that reads them carelessly: small to upload, each
 * inside the byte limits, enormous once read. The workbook parts are written here directly (no
 * spreadsheet library could make them in reasonable time), deflated piece by piece.
 */

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** The parts every workbook needs around its sheets. */
function frameParts(sheetCount: number, sharedStrings: boolean): ZipPart[] {
  const sheets = Array.from({ length: sheetCount }, (_, i) => i + 1);
  return [
    part(
      '[Content_Types].xml',
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((n) => `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}${sharedStrings ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : ''}</Types>`,
    ),
    part(
      '_rels/.rels',
      `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    part(
      'xl/workbook.xml',
      `${XML_HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets.map((n) => `<sheet name="Sheet${n}" sheetId="${n}" r:id="rId${n}"/>`).join('')}</sheets></workbook>`,
    ),
    part(
      'xl/_rels/workbook.xml.rels',
      `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((n) => `<Relationship Id="rId${n}" Type="${REL}/worksheet" Target="worksheets/sheet${n}.xml"/>`).join('')}${sharedStrings ? `<Relationship Id="rId${sheetCount + 1}" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : ''}</Relationships>`,
    ),
  ];
}

/** `count` copies of `piece`, in strings of about a megabyte. */
function* repeated(piece: string, count: number): Generator<string> {
  const perString = Math.max(1, Math.floor(1_048_576 / piece.length));
  for (let done = 0; done < count; done += perString) yield piece.repeat(Math.min(perString, count - done));
}

function* sheetXml(body: Iterable<string>): Generator<string> {
  yield `${XML_HEAD}<worksheet xmlns="${MAIN}"><sheetData>`;
  yield* body;
  yield '</sheetData></worksheet>';
}

async function workbook(sheet: Iterable<string>, sharedStrings?: Iterable<string>): Promise<Buffer> {
  const parts = [...frameParts(1, sharedStrings !== undefined)];
  parts.push(await streamedPart('xl/worksheets/sheet1.xml', sheetXml(sheet)));
  if (sharedStrings) parts.push(await streamedPart('xl/sharedStrings.xml', sharedStrings));
  return zip(parts);
}

/** A column's letters: 1 → A, 27 → AA. */
function letters(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Rows with cell references, as Excel writes them, in strings of about a megabyte. */
function* referencedRows(rows: number, columns: number): Generator<string> {
  const names = Array.from({ length: columns }, (_, i) => `<c r="${letters(i + 1)}`);
  let batch = '';
  for (let row = 1; row <= rows; row++) {
    const cells = names.map((name) => `${name}${row}"><v>7</v></c>`).join('');
    batch += `<row r="${row}">${cells}</row>`;
    if (batch.length > 1_000_000) {
      yield batch;
      batch = '';
    }
  }
  yield batch;
}

/**
 * `rows` rows of `columns` numeric cells: with cell references as Excel writes them, or without (as the
 * format allows, and some writers save them: a third of the size).
 */
export function denseWorkbook(rows: number, columns: number, references = true): Promise<Buffer> {
  return workbook(
    references
      ? referencedRows(rows, columns)
      : repeated(`<row>${'<c><v>7</v></c>'.repeat(columns)}</row>`, rows),
  );
}

/** One row holding `cells` numeric cells. */
export function giantRowWorkbook(cells: number): Promise<Buffer> {
  return workbook(['<row r="1">', ...repeated('<c><v>7</v></c>', cells), '</row>']);
}

/** A shared-string table of `count` distinct strings, and a sheet that uses the first. */
export function sharedStringsWorkbook(count: number): Promise<Buffer> {
  function* strings(): Generator<string> {
    yield `${XML_HEAD}<sst xmlns="${MAIN}" count="${count}" uniqueCount="${count}">`;
    let batch = '';
    for (let i = 0; i < count; i++) {
      batch += `<si><t>s${i}</t></si>`;
      if (batch.length > 1_000_000) {
        yield batch;
        batch = '';
      }
    }
    yield `${batch}</sst>`;
  }
  return workbook(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'], strings());
}

/** A workbook whose one sheet unpacks to `megabytes` of blank padding inside a row. */
export async function bombWorkbook(megabytes: number, options: { prepend?: Buffer } = {}): Promise<Buffer> {
  const padding = repeated(' '.repeat(1024), megabytes * 1024);
  const sheet = await streamedPart('xl/worksheets/sheet1.xml', sheetXml(['<row>', ...padding, '</row>']));
  return zip([...frameParts(1, false), sheet], options);
}

/** A small valid workbook whose sheet says it unpacks to less than it does. */
export async function lyingWorkbook(): Promise<Buffer> {
  const sheet = await streamedPart(
    'xl/worksheets/sheet1.xml',
    sheetXml(repeated('<row><c t="inlineStr"><is><t>x</t></is></c></row>', 20_000)),
  );
  return zip([...frameParts(1, false), sheet], { declaredSizes: { 'xl/worksheets/sheet1.xml': 1000 } });
}

/** A workbook with two sheets whose directory records both point at the first sheet's data. */
export async function overlappingWorkbook(): Promise<Buffer> {
  const body = ['<row r="1"><c r="A1" t="inlineStr"><is><t>case_reference</t></is></c></row>'];
  const parts = [
    ...frameParts(2, false),
    await streamedPart('xl/worksheets/sheet1.xml', sheetXml(body)),
    await streamedPart('xl/worksheets/sheet2.xml', sheetXml(body)),
  ];
  return zip(parts, { sharing: { 'xl/worksheets/sheet2.xml': 'xl/worksheets/sheet1.xml' } });
}

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
