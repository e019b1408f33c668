import { createTestContext, type TestContext } from '../support/app';
import {
  annexACsv,
  annexARows,
  annexAWorkbook,
  expectAnnexACases,
  importCaseList,
} from '../support/case-lists';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** Lists 7 to 9 as a case-management system heads them: its own wording, abbreviations and notes. */
const COUNCIL_HEADERS = {
  7: [
    'Child ID',
    'Gender (M/F/U)',
    'Ethnic Origin',
    'DOB [dd/mm/yyyy]',
    'Age (yrs)',
    'Disabled? (Y/N)',
    'CP Plan Start Dt',
    'Initial Abuse Category',
    'Abuse category (latest)',
    'Date CP plan ended',
    'Team Name',
    'Worker Name (allocated)',
  ],
  8: [
    'Unique Child ID',
    'Sex',
    'Ethnicity Code',
    'Date of birth [dd/mm/yyyy]',
    'Age',
    'UASC?',
    'Disabled?',
    'CLA Start Date',
    'Legal status start date',
    'CLA Legal Status',
    'LAC placement type',
    'Missing episodes (last 12 months)',
    'CLA End Date',
    'Allocated team (current)',
    'Allocated SW',
  ],
  9: [
    'Young Person ID',
    'Gender',
    'Age (Years)',
    'Team',
    'Worker',
    'Eligibility',
    'In touch?',
    'Main Activity',
  ],
};

describe('Annex A lists headed in a council’s own words', () => {
  it('imports a whole workbook, recognising each list by its headers, and says which header fed which field', async () => {
    const workbook = await annexAWorkbook(annexARows(), {
      names: ['Contacts', 'Child protection', 'Children looked after', 'Care leavers'],
      headers: COUNCIL_HEADERS,
    });
    const outcome = await importCaseList(ctx.services.cases, workbook, 'council.xlsx', {
      mode: 'skip-invalid',
      unknownTeams: 'create',
    });
    expect(outcome).toMatchObject({
      status: 'imported',
      format: 'annex-a',
      casesImported: 5,
      rowsRejected: 1,
    });
    expect(outcome.sheets.map((s) => [s.sheet, s.status, s.list ?? null])).toEqual([
      ['Contacts', 'ignored', null],
      ['Child protection', 'read', 7],
      ['Children looked after', 'read', 8],
      ['Care leavers', 'read', 9],
    ]);
    expect(outcome.problems).toEqual([
      {
        sheet: 'Care leavers',
        line: 4,
        column: 'Team',
        value: '#N/A',
        reason: 'is an Excel error (#N/A): Allocated Team is needed for every row',
      },
    ]);
    const fields = (n: number) =>
      Object.fromEntries((outcome.sheets[n]?.columns ?? []).map((c) => [c.header, c.field]));
    expect(fields(1)).toEqual({
      'Child ID': 'Child Unique ID',
      'Team Name': 'Allocated Team',
      'Worker Name (allocated)': 'Allocated Worker',
      'Gender (M/F/U)': 'Gender',
      'Ethnic Origin': 'Ethnicity',
      'Age (yrs)': 'Age of Child (Years)',
      'Disabled? (Y/N)': 'Does the Child have a Disability',
      'CP Plan Start Dt': 'Child Protection Plan Start Date',
      'Abuse category (latest)': 'Latest Category of Abuse',
      'Date CP plan ended': 'Child Protection Plan End Date',
    });
    expect(fields(2)).toMatchObject({
      'Unique Child ID': 'Child Unique ID',
      'Allocated team (current)': 'Allocated Team',
      'Allocated SW': 'Allocated Worker',
      Sex: 'Gender',
      'UASC?': 'Unaccompanied Asylum Seeking Child (UASC)',
      'CLA Start Date': 'Date Started to be Looked After',
      'CLA Legal Status': "Child's Legal Status",
      'LAC placement type': 'Placement Type',
      'Missing episodes (last 12 months)':
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
      'CLA End Date': 'Date Ceased to be Looked After',
    });
    expect(fields(3)).toMatchObject({
      'Young Person ID': 'Child Unique ID',
      Team: 'Allocated Team',
      Eligibility: 'Eligibility Category',
      'In touch?': 'LA in Touch',
      'Main Activity': 'Activity Status',
    });
    // What was matched is kept with the import.
    expect((await ctx.services.cases.getImport(outcome.id)).sheets[1]?.columns).toEqual(
      outcome.sheets[1]?.columns,
    );
    await expectAnnexACases(ctx.db.knex, outcome.id);
  });

  it('reads the first of two headers for the same field, and never fails on odd headers', async () => {
    const header = ['Child ID', 'Team', 'Team', 'CP Plan Start Date', '', '???', '(notes)', '#'];
    const rows = [['2001', 'Family Safeguarding South 1', 'Elsewhere', '01/02/2025', 'x', 'y', 'z', '1']];
    const outcome = await importCaseList(ctx.services.cases, annexACsv(header, rows), 'cp-plans.csv');
    expect(outcome).toMatchObject({ status: 'imported', casesImported: 1, sheets: [{ list: 7 }] });
    const found = await ctx.db
      .knex('case_record as c')
      .join('team as t', 't.id', 'c.team_id')
      .where({ import_id: outcome.id })
      .first('t.name as team', 'c.start_date');
    expect(found).toEqual({ team: 'Family Safeguarding South 1', start_date: '2025-02-01' });
  });

  it('still names a missing column precisely', async () => {
    const outcome = await importCaseList(
      ctx.services.cases,
      annexACsv(['Child ID', 'CP Plan Start Date'], [['2002', '01/02/2025']]),
      'cp-plans.csv',
    );
    expect(outcome.status).toBe('refused');
    expect(outcome.problems).toEqual([
      {
        sheet: 'cp-plans.csv',
        line: 1,
        column: 'Allocated Team',
        value: null,
        reason: 'the column "Allocated Team" is missing',
      },
    ]);
  });
});
