import { Readable } from 'node:stream';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { createTestContext, type TestContext } from '../support/app';
import {
  bombWorkbook,
  denseWorkbook,
  giantRowWorkbook,
  longLineCsv,
  lyingWorkbook,
  overlappingWorkbook,
  sharedStringsWorkbook,
  wideCsv,
} from '../support/hostile-files';

/**
 * Case lists built to exhaust the server, each inside the upload's byte limit: every one is refused with a
 * message that says what is wrong and where, and nothing is imported.
 */

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const caseCount = async () => Number((await ctx.db.knex('case_record').count('* as n').first())?.n);

async function refusal(data: Buffer, name: string) {
  const before = await caseCount();
  const outcome = await ctx.services.cases.importCases(
    { stream: Readable.from([data]), kind: name.endsWith('.xlsx') ? 'xlsx' : 'csv', name },
    { mode: 'skip-invalid', unknownTeams: 'create', sourceName: name },
    SYSTEM_ACTOR,
  );
  expect(outcome).toMatchObject({ status: 'refused', casesImported: 0, problemCount: 1 });
  expect(await caseCount()).toBe(before);
  expect((await ctx.services.cases.getImport(outcome.id)).status).toBe('refused');
  return outcome.problems[0];
}

const DAMAGED = /^the workbook is damaged or not a real Excel file \(.+\): save it again from Excel/;

describe('hostile case-list workbooks', () => {
  it('refuses a sheet of millions of cells at the cell limit, naming the sheet and row', async () => {
    const workbook = await denseWorkbook(40_000, 100, false);
    expect(workbook.length).toBeLessThan(50 * 1_048_576);
    expect(await refusal(workbook, 'dense.xlsx')).toMatchObject({
      sheet: 'Sheet1',
      line: 30_001,
      reason: 'the sheet "Sheet1" has more than 3,000,000 cells, the most a case list may have',
    });
  });

  it('refuses a workbook of 17 million cells (450 MB unpacked, inside the upload limit)', async () => {
    const workbook = await denseWorkbook(170_000, 100);
    expect(workbook.length).toBeLessThan(50 * 1_048_576);
    expect((await refusal(workbook, 'dense.xlsx'))?.reason).toMatch(
      /^the workbook \(its part xl\/worksheets\/sheet1\.xml\) unpacks to more than 250 MB, the most allowed/,
    );
  });

  it('refuses millions of shared strings', async () => {
    expect((await refusal(await sharedStringsWorkbook(1_500_000), 'strings.xlsx'))?.reason).toBe(
      'the workbook has more than 1,000,000 different texts (shared strings), the most a case list may have',
    );
  });

  it('refuses one giant row at the first value past the last column allowed', async () => {
    expect(await refusal(await giantRowWorkbook(3_000_000), 'row.xlsx')).toMatchObject({
      sheet: 'Sheet1',
      line: 1,
      reason:
        'the sheet "Sheet1" has a value in column ALM of row 1: a case list may have at most 1,000 columns',
    });
  });

  it('refuses a zip bomb with bytes put in front of it, which a guard trusting the end record would miss', async () => {
    const bomb = await bombWorkbook(600, { prepend: Buffer.from('not part of any zip') });
    expect((await refusal(bomb, 'bomb.xlsx'))?.reason).toMatch(DAMAGED);
  });

  it('refuses a workbook whose sheet unpacks past the limit for one part', async () => {
    expect((await refusal(await bombWorkbook(300), 'bomb.xlsx'))?.reason).toMatch(
      /^the workbook \(its part xl\/worksheets\/sheet1\.xml\) unpacks to more than 250 MB, the most allowed/,
    );
  });

  it('refuses a part that unpacks to more than it declares, and parts that share data', async () => {
    expect((await refusal(await lyingWorkbook(), 'lying.xlsx'))?.reason).toMatch(DAMAGED);
    expect((await refusal(await overlappingWorkbook(), 'overlap.xlsx'))?.reason).toMatch(DAMAGED);
  });
});

describe('hostile case-list CSV files', () => {
  it('refuses a line of millions of columns before building it, naming the line', async () => {
    expect(await refusal(wideCsv(3_000_000), 'wide.csv')).toMatchObject({
      sheet: 'wide.csv',
      line: 2,
      reason: 'the row on line 2 has more than 1,000 columns, the most a case list may have',
    });
  });

  it('refuses a line of many megabytes', async () => {
    expect(await refusal(longLineCsv(20), 'long.csv')).toMatchObject({
      sheet: 'long.csv',
      line: 2,
      reason: 'the row on line 2 is longer than 1 MB, the most one row of a case list may be',
    });
  });
});
