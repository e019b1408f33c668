import { Readable } from 'node:stream';
import { SYSTEM_ACTOR } from '../../src/audit-log/actor';
import { createTestContext, type TestContext } from '../support/app';
import { longLineCsv, wideCsv } from '../support/hostile-files';

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
