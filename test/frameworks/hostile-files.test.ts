import { checkFrameworkData } from '../../src/frameworks/spreadsheet';
import * as hostile from '../support/hostile-files';

/**
 * Framework files built to exhaust the server, each inside the 5 MB upload limit: every one is refused
 * with a problem saying what is wrong and where. Framework workbooks have smaller limits than case lists.
 */

const UPLOAD_LIMIT = 5 * 1_048_576;

async function problemsOf(data: Buffer, name: string): Promise<string[]> {
  expect(data.length).toBeLessThan(UPLOAD_LIMIT);
  const result = await checkFrameworkData(data, name);
  return result.ok ? [] : result.problems.map((p) => `${p.pointer}: ${p.message}`);
}

const UNREADABLE = 'is not a readable XLSX workbook: ';
const DAMAGED = new RegExp(
  `${UNREADABLE}the workbook is damaged or not a real Excel file \\(.+\\): save it again from Excel`,
);

describe('hostile framework workbooks', () => {
  it('are refused at the cell, column and shared-string limits, naming the sheet and row', async () => {
    expect(await problemsOf(await hostile.denseWorkbook(3_000, 100, false), 'dense.xlsx')).toEqual([
      `Sheet1 row 2001: ${UNREADABLE}the sheet "Sheet1" has more than 200,000 cells, the most a framework may have`,
    ]);
    expect(await problemsOf(await hostile.giantRowWorkbook(500_000), 'row.xlsx')).toEqual([
      `Sheet1 row 1: ${UNREADABLE}the sheet "Sheet1" has a value in column CW of row 1: a framework may have at most 100 columns`,
    ]);
    expect(await problemsOf(await hostile.sharedStringsWorkbook(150_000), 'strings.xlsx')).toEqual([
      `: ${UNREADABLE}the workbook has more than 100,000 different texts (shared strings), the most a framework may have`,
    ]);
  });

  it('are refused when they unpack past the limit, are damaged, or lie about their sizes', async () => {
    expect(await problemsOf(await hostile.bombWorkbook(40), 'bomb.xlsx')).toEqual([
      expect.stringContaining('unpacks to more than 10 MB, the most allowed'),
    ]);
    for (const workbook of [
      await hostile.bombWorkbook(40, { prepend: Buffer.from('MZ') }),
      await hostile.lyingWorkbook(),
      await hostile.overlappingWorkbook(),
    ]) {
      expect(await problemsOf(workbook, 'f.xlsx')).toEqual([expect.stringMatching(DAMAGED)]);
    }
  });
});

describe('hostile framework CSV files', () => {
  it('are refused at a line of millions of columns, or of megabytes, naming the line', async () => {
    expect(await problemsOf(hostile.wideCsv(2_500_000), 'wide.csv')).toEqual([
      'line 2: the row on line 2 has more than 100 columns, the most a framework may have',
    ]);
    expect(await problemsOf(hostile.longLineCsv(3), 'long.csv')).toEqual([
      'line 2: the row on line 2 is longer than 1 MB, the most one row of a framework may be',
    ]);
  });
});
