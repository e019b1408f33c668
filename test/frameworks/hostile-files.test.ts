import { checkFrameworkData } from '../../src/frameworks/spreadsheet';
import * as hostile from '../support/hostile-files';

/**
 * Framework files built to exhaust the server, each inside the 5 MB upload limit: every one is refused
 * with a problem saying what is wrong and where. Frameworks have smaller limits than case lists.
 */

const UPLOAD_LIMIT = 5 * 1_048_576;

async function problemsOf(data: Buffer, name: string): Promise<string[]> {
  expect(data.length).toBeLessThan(UPLOAD_LIMIT);
  const result = await checkFrameworkData(data, name);
  return result.ok ? [] : result.problems.map((p) => `${p.pointer}: ${p.message}`);
}

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
