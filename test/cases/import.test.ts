import { createReadStream, existsSync } from 'node:fs';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import type { ImportOptions } from '../../src/cases/types';
import { createTestContext, type TestContext } from '../support/app';
import {
  ANNEX_A,
  annexACsv,
  annexARows,
  annexAWorkbook,
  expectAnnexACases,
  importCaseList,
  nativeCsv,
  nativeRows,
} from '../support/case-lists';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const REAL_SAMPLE = '../shared/fixtures/annex-a/Annex_A.xlsx';

const run = (data: string | Buffer, name: string, options: Partial<ImportOptions> = {}) =>
  importCaseList(ctx.services.cases, data, name, options);

const caseCount = async () => Number((await ctx.db.knex('case_record').count('* as n').first())?.n);

describe('native CSV', () => {
  it('imports every case with what auditing needs, matching teams and workers by name', async () => {
    const outcome = await run(nativeCsv(nativeRows(40)), 'cases.csv');
    expect(outcome).toMatchObject({
      status: 'imported',
      format: 'native',
      rowsRead: 40,
      casesImported: 40,
      problemCount: 0,
    });
    const row = await ctx.db
      .knex('case_record as c')
      .join('team as t', 't.id', 'c.team_id')
      .leftJoin('person as p', 'p.id', 'c.worker_id')
      .where({ import_id: outcome.id, case_ref: 'C0000005' })
      .first('c.*', 't.name as team', 'p.display_name as worker');
    expect(row).toMatchObject({
      case_type: 'child-protection',
      team: 'Family Safeguarding South 1',
      worker: 'Ravi Turner',
      age_years: 5,
      category_of_abuse: 'neglect',
      start_date: '2025-06-06',
      closed: false,
    });
  });

  it('reads UTF-8 with a BOM, CRLF line ends, quoted fields with commas and newlines, and trailing blank lines', async () => {
    const rows = nativeRows(3, 100);
    (rows[0] as { worker: string }).worker = 'Smith, "Jo"';
    const outcome = await run(
      nativeCsv(rows, { bom: true, crlf: true }).replace('C0000101', 'C0000101'),
      'crlf.csv',
      { unknownTeams: 'create' },
    );
    expect(outcome).toMatchObject({ status: 'imported', casesImported: 3 });
    expect(await ctx.db.knex('person').where({ display_name: 'Smith, "Jo"' }).first()).toBeDefined();
  });

  it('refuses the whole file for one bad row, writing no case, and lists each problem precisely', async () => {
    const before = await caseCount();
    const rows = nativeRows(5, 200);
    Object.assign(rows[1] as object, { case_type: 'adoption' });
    Object.assign(rows[3] as object, { start_date: '31/02/2025', age: 'ten' });
    const outcome = await run(nativeCsv(rows), 'bad.csv');
    expect(outcome.status).toBe('refused');
    expect(outcome.problems).toEqual([
      {
        sheet: 'bad.csv',
        line: 3,
        column: 'case_type',
        value: 'adoption',
        reason: expect.stringMatching(/^must be one of early-help, child-in-need/),
      },
      { sheet: 'bad.csv', line: 5, column: 'age', value: 'ten', reason: 'must be a number from 0 to 30' },
      { sheet: 'bad.csv', line: 5, column: 'start_date', value: '31/02/2025', reason: 'is not a real date' },
    ]);
    expect(await caseCount()).toBe(before);
    const recorded = await ctx.services.cases.getImport(outcome.id);
    expect(recorded).toMatchObject({ status: 'refused', casesImported: 0, problemCount: 3 });
  });

  it('treats a child on the list twice as an error, naming both lines', async () => {
    const rows = nativeRows(4, 300);
    (rows[3] as { case_reference: string }).case_reference = 'C0000300';
    const outcome = await run(nativeCsv(rows), 'dup.csv');
    expect(outcome).toMatchObject({ status: 'refused', problemCount: 1 });
    expect(outcome.problems).toEqual([
      {
        sheet: 'dup.csv',
        line: 5,
        column: 'case_reference',
        value: 'C0000300',
        reason: 'is on this list more than once (lines 2, 5)',
      },
    ]);
  });

  it('rejects rows naming an unknown team, or creates the team, as asked', async () => {
    const rows = nativeRows(3, 400);
    (rows[2] as { team: string }).team = 'Brand New Team';
    const refused = await run(nativeCsv(rows), 'teams.csv');
    expect(refused.problems).toEqual([
      {
        sheet: 'teams.csv',
        line: 4,
        column: 'team',
        value: 'Brand New Team',
        reason: expect.stringMatching(/^is not a known team/),
      },
    ]);
    const created = await run(nativeCsv(rows), 'teams.csv', { unknownTeams: 'create' });
    expect(created).toMatchObject({ status: 'imported', casesImported: 3, teamsCreated: ['Brand New Team'] });
    expect(await ctx.db.knex('team').where({ name: 'Brand New Team' }).first()).toMatchObject({
      kind: 'other',
    });
  });

  it('in skip-invalid mode imports the good rows and keeps the bad ones, with why, for the report', async () => {
    const rows = nativeRows(6, 500);
    Object.assign(rows[0] as object, { team: '' });
    Object.assign(rows[4] as object, { closed: 'maybe' });
    (rows[5] as { case_reference: string }).case_reference = 'C0000502';
    const outcome = await run(nativeCsv(rows), 'skip.csv', { mode: 'skip-invalid' });
    expect(outcome).toMatchObject({
      status: 'imported',
      rowsRead: 6,
      casesImported: 2,
      rowsRejected: 4,
      problemCount: 3,
    });
    const report = await ctx.services.cases.rejections(outcome.id, SYSTEM_ACTOR);
    expect(report.map((r) => [r.line, r.reasons])).toEqual([
      [2, 'team: is blank: team is needed for every row'],
      [4, 'case_reference: "C0000502" is on this list more than once (lines 4, 7)'],
      [6, 'closed: must be yes or no'],
      [7, 'case_reference: "C0000502" is on this list more than once (lines 4, 7)'],
    ]);
  });

  it('reports the first 1,000 problems and counts the rest', async () => {
    const rows = nativeRows(1500, 1000).map((row) => ({ ...row, age: 'x' }));
    const outcome = await run(nativeCsv(rows), 'many.csv');
    expect(outcome.problemCount).toBe(1500);
    expect(outcome.problems).toHaveLength(1000);
  });

  it('refuses a file whose headers fit no format, or that is not valid CSV', async () => {
    expect((await run('name,dob\nJo,01/01/2010\n', 'people.csv')).problems[0]?.reason).toMatch(
      /^no case list was found/,
    );
    const forced = await run('name,dob\nJo,01/01/2010\n', 'people.csv', { format: 'native' });
    expect(forced.problems.map((p) => p.reason)).toEqual([
      'the column "case_reference" is missing',
      'the column "case_type" is missing',
      'the column "team" is missing',
    ]);
    const broken = await run(
      'case_reference,case_type,team\n"C1,child-in-need,Assessment North\n',
      'broken.csv',
    );
    expect(broken.problems[0]?.reason).toMatch(/^the file cannot be read: /);
  });
});

describe('Ofsted Annex A', () => {
  it('imports a messy workbook: prefixes or none, serial and text dates, header typos, Excel errors', async () => {
    const outcome = await run(await annexAWorkbook(), 'annex.xlsx', {
      mode: 'skip-invalid',
      unknownTeams: 'create',
    });
    expect(outcome).toMatchObject({
      status: 'imported',
      format: 'annex-a',
      rowsRead: 7,
      casesImported: 5,
      rowsRejected: 1,
    });
    expect(outcome.sheets.map((s) => [s.sheet, s.status, s.caseType ?? null])).toEqual([
      ['List 1', 'ignored', null],
      ['List 7', 'read', 'child-protection'],
      ['List 8', 'read', 'child-in-care'],
      ['List 9', 'read', 'care-leaver'],
    ]);
    expect(outcome.problems).toEqual([
      {
        sheet: 'List 9',
        line: 4,
        column: 'Allocated Team',
        value: '#N/A',
        reason: 'is an Excel error (#N/A): Allocated Team is needed for every row',
      },
    ]);
    await expectAnnexACases(ctx.db.knex, outcome.id);
  });

  it('imports one list per CSV file, recognised by its headers or by the file name', async () => {
    const rows = annexARows();
    const byHeaders = await run(
      annexACsv(ANNEX_A.list8Header, rows[8], { bom: true, crlf: true }),
      'children-in-care.csv',
      { unknownTeams: 'create' },
    );
    expect(byHeaders).toMatchObject({ status: 'imported', casesImported: 2, sheets: [{ list: 8 }] });
    const header = ANNEX_A.list9Header.map((h) => h.toUpperCase());
    const byName = await run(annexACsv(header, [rows[9][0] as never]), 'List 9.csv', {
      format: 'annex-a',
      unknownTeams: 'create',
    });
    expect(byName).toMatchObject({ status: 'imported', casesImported: 1, sheets: [{ list: 9 }] });
  });

  it('keeps a child once per list where each child has one row', async () => {
    const rows = annexARows();
    const twice = [rows[7][0] as never, rows[7][0] as never];
    const outcome = await run(annexACsv(ANNEX_A.list7Header, twice), 'List 7.csv', {
      unknownTeams: 'create',
    });
    expect(outcome.problems[0]).toMatchObject({
      column: 'Child Unique ID',
      value: '1001',
      reason: 'is on this list more than once (lines 2, 3)',
    });
  });

  (existsSync(REAL_SAMPLE) ? it : it.skip)(
    'imports the real sample workbook, reporting the rows it cannot use',
    async () => {
      const sample = (mode: ImportOptions['mode']) =>
        ctx.services.cases.importCases(
          { stream: createReadStream(REAL_SAMPLE), kind: 'xlsx', name: 'Annex_A.xlsx' },
          { mode, unknownTeams: 'create', sourceName: 'Annex_A.xlsx' },
          SYSTEM_ACTOR,
        );
      const refused = await sample('all-or-nothing');
      expect(refused).toMatchObject({ status: 'refused', problemCount: 5 });
      expect(refused.problems.every((p) => p.sheet === 'List 6' && p.value === '#N/A')).toBe(true);
      const imported = await sample('skip-invalid');
      expect(imported).toMatchObject({
        status: 'imported',
        rowsRead: 39,
        casesImported: 33,
        rowsRejected: 5,
      });
    },
  );
});
