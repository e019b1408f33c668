import ExcelJS from 'exceljs';
import { part, zip } from '../../../test/support/zip';
import { CASE_LIST_LIMITS, type WorkbookLimits } from '../limits';
import { FileRefused } from '../refusal';
import { Workbook, type WorkbookCell } from './workbook';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook written by hand: sheets (the XML inside <sheetData>), and optional strings and styles. */
function handWritten(options: {
  sheets: Record<string, string>;
  sharedStrings?: string;
  styles?: string;
  date1904?: boolean;
}): Buffer {
  const names = Object.keys(options.sheets);
  const relationships = names.map(
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="/xl/worksheets/sheet${i + 1}.xml"/>`,
  );
  if (options.sharedStrings !== undefined)
    relationships.push(`<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="strings.xml"/>`);
  if (options.styles !== undefined)
    relationships.push(`<Relationship Id="rIdT" Type="${REL}/styles" Target="styles.xml"/>`);
  // Sheets stored before the workbook and its strings, as Excel often writes them.
  return zip([
    ...names.map((name, i) =>
      part(
        `xl/worksheets/sheet${i + 1}.xml`,
        `<worksheet xmlns="${MAIN}"><sheetData>${options.sheets[name]}</sheetData></worksheet>`,
      ),
    ),
    part(
      '_rels/.rels',
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    part(
      'xl/workbook.xml',
      `<x:workbook xmlns:x="${MAIN}" xmlns:rel="${REL}">${options.date1904 ? '<x:workbookPr date1904="1"/>' : ''}<x:sheets>${names.map((name, i) => `<x:sheet name="${name}" sheetId="${i + 1}" rel:id="rId${i + 1}"/>`).join('')}</x:sheets></x:workbook>`,
    ),
    part(
      'xl/_rels/workbook.xml.rels',
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationships.join('')}</Relationships>`,
    ),
    ...(options.sharedStrings === undefined
      ? []
      : [part('xl/strings.xml', `<sst xmlns="${MAIN}">${options.sharedStrings}</sst>`)]),
    ...(options.styles === undefined
      ? []
      : [part('xl/styles.xml', `<styleSheet xmlns="${MAIN}">${options.styles}</styleSheet>`)]),
  ]);
}

async function read(data: Buffer, limits: WorkbookLimits = CASE_LIST_LIMITS.xlsx) {
  const workbook = await Workbook.open(data, limits);
  const sheets: Record<string, [number, WorkbookCell[]][]> = {};
  for (const sheet of workbook.sheets) {
    sheets[sheet.name] = [];
    for await (const row of workbook.rows(sheet)) sheets[sheet.name]?.push([row.number, row.cells]);
  }
  return sheets;
}

async function refusal(data: Buffer, limits: WorkbookLimits): Promise<FileRefused> {
  try {
    await read(data, limits);
  } catch (err) {
    if (err instanceof FileRefused) return err;
    throw err;
  }
  throw new Error('not refused');
}

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

describe('the workbook reader', () => {
  it('reads what exceljs writes: text, numbers, dates, booleans, formulas, rich text, links, errors, gaps', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Cases & more');
    sheet.addRow(['text', 42.5, utc(2024, 2, 29), true, { formula: 'B1*2', result: 85 }]);
    sheet.addRow([
      { richText: [{ text: 'rich ' }, { font: { bold: true }, text: 'text' }] },
      { text: 'a link', hyperlink: 'https://example.org' },
      { error: '#N/A' },
      { formula: 'A1&"!"', result: 'text!' },
    ]);
    sheet.getCell('F3').value = 'far';
    workbook.addWorksheet('Empty');
    workbook.addWorksheet('Second').addRow(['a <b> & "c"', -0.5]);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(await read(data)).toEqual({
      'Cases & more': [
        [1, ['text', 42.5, utc(2024, 2, 29), true, 85]],
        [2, ['rich text', 'a link', { error: '#N/A' }, 'text!']],
        [3, [null, null, null, null, null, 'far']],
      ],
      Empty: [],
      Second: [[1, ['a <b> & "c"', -0.5]]],
    });
  });

  it('reads what the format allows and Excel writes: inline and phonetic strings, rows and cells without references, entities', async () => {
    const data = handWritten({
      sheets: {
        List: [
          '<row><c t="inlineStr"><is><r><t>in</t></r><r><t xml:space="preserve">line </t></r><rPh><t>no</t></rPh></is></c>',
          '<c t="s"><v>1</v></c><c t="str"><f>A1</f><v>formula text</v></c><c t="b"><v>0</v></c><c t="e"><v>#REF!</v></c></row>',
          '<row r="4"><c r="C4"><v>1e3</v></c><c><v>&#x37;</v></c><c t="s"><v>0</v></c><c r="H4"><f>1/0</f></c></row>',
          '<row><c r="B5" t="inlineStr"><is><t><![CDATA[<cdata>]]></t></is></c></row>',
        ].join(''),
      },
      sharedStrings:
        '<si><t>Tom &amp; Jerry_x000D_</t></si><si><r><t>ka</t></r><r><t>nji</t></r><rPh sb="0" eb="1"><t>KANA</t></rPh><phoneticPr fontId="1"/></si>',
    });
    expect(await read(data)).toEqual({
      List: [
        [1, ['inline ', 'kanji', 'formula text', false, { error: '#REF!' }]],
        [4, [null, null, 1000, 7, 'Tom & Jerry\r']],
        [5, [null, '<cdata>']],
      ],
    });
  });

  it('gives numbers in date formats as dates, built-in or custom, in the 1900 and 1904 systems', async () => {
    const styles =
      '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/><numFmt numFmtId="165" formatCode="#,##0 &quot;days&quot;"/></numFmts>' +
      '<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>' +
      '<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="2"/></cellXfs>' +
      '<dxfs><dxf><numFmt numFmtId="166" formatCode="yyyy"/></dxf></dxfs>';
    const sheet =
      '<row><c s="0"><v>45000</v></c><c s="1"><v>45000</v></c><c s="2"><v>45000.75</v></c><c s="3"><v>45000</v></c><c s="4"><v>45000</v></c></row>';
    const expected = (date: Date, dateTime: Date) => ({ S: [[1, [45000, date, dateTime, 45000, 45000]]] });
    expect(await read(handWritten({ sheets: { S: sheet }, styles }))).toEqual(
      expected(utc(2023, 3, 15), new Date(Date.UTC(2023, 2, 15, 18))),
    );
    const in1904 = await read(
      handWritten({ sheets: { S: sheet.replace('45000.75', '45000') }, styles, date1904: true }),
    );
    expect(in1904).toEqual(expected(utc(2027, 3, 16), utc(2027, 3, 16)));
  });

  it('refuses a workbook past each limit, saying which and where', async () => {
    const small: WorkbookLimits = {
      ...CASE_LIST_LIMITS.xlsx,
      what: 'a test file',
      rowsPerSheet: 3,
      columns: 3,
      cellsPerSheet: 6,
      cellsPerWorkbook: 8,
      sharedStrings: 2,
      sharedStringCharacters: 8,
      cellCharacters: 5,
    };
    const rows = (n: number, cells: number) => `<row>${'<c><v>1</v></c>'.repeat(cells)}</row>`.repeat(n);
    const cases: [Parameters<typeof handWritten>[0], string, { sheet?: string; line?: number }][] = [
      [
        { sheets: { A: rows(4, 1) } },
        'the sheet "A" has more than 3 rows, the most a test file may have',
        { sheet: 'A', line: 4 },
      ],
      [
        { sheets: { A: rows(1, 4) } },
        'the sheet "A" has a value in column D of row 1: a test file may have at most 3 columns',
        { sheet: 'A', line: 1 },
      ],
      [
        { sheets: { A: rows(3, 3) } },
        'the sheet "A" has more than 6 cells, the most a test file may have',
        { sheet: 'A', line: 3 },
      ],
      [
        { sheets: { A: rows(2, 3), B: rows(1, 3) } },
        'the workbook has more than 8 cells, the most a test file may have',
        { sheet: 'B', line: 1 },
      ],
      [
        { sheets: { A: '' }, sharedStrings: '<si><t>a</t></si>'.repeat(3) },
        'the workbook has more than 2 different texts (shared strings), the most a test file may have',
        {},
      ],
      [
        { sheets: { A: '' }, sharedStrings: '<si><t>abcd</t></si><si><t>efghi</t></si>' },
        "the workbook's texts (shared strings) hold more than 8 characters, the most a test file may have",
        {},
      ],
      [
        { sheets: { A: '<row><c t="inlineStr"><is><t>123456</t></is></c></row>' } },
        'the sheet "A" row 1 column A holds more than 5 characters, the most a cell may hold',
        { sheet: 'A', line: 1 },
      ],
      [
        { sheets: { A: '<row r="2"><c r="B2" t="str"><v>123456</v></c></row>' } },
        'the sheet "A" row 2 column B holds more than 5 characters, the most a cell may hold',
        { sheet: 'A', line: 2 },
      ],
    ];
    for (const [workbook, message, position] of cases) {
      const refused = await refusal(handWritten(workbook), small);
      expect([refused.message, refused.position]).toEqual([message, position]);
    }
  });

  it('refuses damaged parts: a document type declaration, broken XML, a missing text or sheet', async () => {
    const damaged = /^the workbook is damaged or not a real Excel file/;
    for (const workbook of [
      handWritten({ sheets: { A: '' }, sharedStrings: '<si><t>&lol;</t></si>' }),
      handWritten({ sheets: { A: '<row><c><v>1</v></row>' } }),
      handWritten({ sheets: { A: '<row><c t="s"><v>3</v></c></row>' }, sharedStrings: '' }),
      handWritten({ sheets: { A: '<row><c r="AAAA1"><v>1</v></c></row>' } }),
    ]) {
      expect((await refusal(workbook, CASE_LIST_LIMITS.xlsx)).message).toMatch(damaged);
    }
    const doctype = zip([part('xl/workbook.xml', '<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook/>')]);
    expect((await refusal(doctype, CASE_LIST_LIMITS.xlsx)).message).toMatch(/a document type declaration/);
    expect((await refusal(zip([part('a.txt', 'x')]), CASE_LIST_LIMITS.xlsx)).message).toMatch(
      /it has no workbook part/,
    );
  });

  it('hands on rows as they are read, before the rest of the sheet is unpacked', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 1}"><c><v>${i}</v></c></row>`).join(
      '',
    );
    // The sheet is broken at its end: reading the first rows must not need it.
    const workbook = await Workbook.open(
      handWritten({ sheets: { A: `${rows}<row><c>` } }),
      CASE_LIST_LIMITS.xlsx,
    );
    const first: number[] = [];
    for await (const row of workbook.rows(workbook.sheets[0] as { name: string; part: string })) {
      first.push(row.number);
      if (first.length === 3) break;
    }
    expect(first).toEqual([1, 2, 3]);
  });
});
