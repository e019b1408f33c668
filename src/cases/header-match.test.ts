import { ANNEX_A_LISTS, NATIVE, detectSheet, type SheetSpec } from './formats';
import { expandHeader, matchHeaders } from './header-match';

const list = (n: number) => ANNEX_A_LISTS.find((l) => l.list === n) as SheetSpec;

/** The field one header feeds, beside a header that is none. */
const fieldOf = (header: string, spec: SheetSpec) =>
  matchHeaders(['Postcode', header], spec).find((m) => m.index === 1)?.field;

describe('expandHeader', () => {
  it.each([
    ['CP Plan Start Dt', 'child protection plan start date'],
    ['CIN Start Date', 'child in need start date'],
    ['LAC placement type', 'looked after child placement type'],
    ['CLA Legal Status', 'looked after child legal status'],
    ['UASC?', 'unaccompanied asylum seeking child'],
    ['DOB [dd/mm/yyyy]', 'date of birth'],
    ['Gender (M/F/U)', 'gender'],
    ['No. of previous CP plans', 'number of previous child protection plans'],
    ['# previous CP plans', 'number previous child protection plans'],
    ['Child Ref', 'child reference'],
    ['  Allocated   Team:  ', 'allocated team'],
  ])('%s → %s', (header, expanded) => {
    expect(expandHeader(header)).toBe(expanded);
  });
});

describe('matchHeaders: how councils write Annex A headers', () => {
  const cases: [number, string, string][] = [
    // Every list: the child, team and worker.
    [6, 'Child ID', 'Child Unique ID'],
    [6, 'Child Unique ID', 'Child Unique ID'],
    [6, 'Unique Child ID', 'Child Unique ID'],
    [6, 'Child Ref No.', 'Child Unique ID'],
    [6, 'Team', 'Allocated Team'],
    [6, 'Allocated Team', 'Allocated Team'],
    [6, 'Team Name', 'Allocated Team'],
    [6, 'Allocated team (current)', 'Allocated Team'],
    [6, 'Current Team', 'Allocated Team'],
    [6, 'Worker Name (allocated)', 'Allocated Worker'],
    [6, 'Allocated Social Worker', 'Allocated Worker'],
    [6, 'SW', 'Allocated Worker'],
    [6, 'Gender (M/F/U)', 'Gender'],
    [6, 'Sex', 'Gender'],
    [6, 'Ethnic Origin', 'Ethnicity'],
    [6, 'Ethnicity Code', 'Ethnicity'],
    [6, 'Age (yrs)', 'Age of Child (Years)'],
    [6, 'Disabled? (Y/N)', 'Does the Child have a Disability'],
    [6, 'Child has a disability?', 'Does the Child have a Disability'],
    // List 3 to 5.
    [3, 'Referral Date', 'Date of referral'],
    [3, 'Date referral received', 'Date of referral'],
    [4, 'Assessment Start Date', 'Continuous Assessment Start Date'],
    [4, 'Date assessment started', 'Continuous Assessment Start Date'],
    [5, 'Strategy Discussion Date', 'Strategy discussion initiating Section 47 Enquiry Start Date'],
    [5, 'S47 Start Date', 'Strategy discussion initiating Section 47 Enquiry Start Date'],
    // List 6: children in need.
    [6, 'CIN Start Dt', 'CIN Start Date'],
    [6, 'Date CIN started', 'CIN Start Date'],
    [6, 'Primary Need', 'Primary Need Code'],
    [6, 'CIN End Date', 'CIN Closure Date'],
    [6, 'Status of case', 'Case Status'],
    // List 7: child protection.
    [7, 'CP Plan Start Date', 'Child Protection Plan Start Date'],
    [7, 'Date CP plan started', 'Child Protection Plan Start Date'],
    [7, 'Child Protection Plan Start Dt', 'Child Protection Plan Start Date'],
    [7, 'Plan start date', 'Child Protection Plan Start Date'],
    [7, 'CP Plan End Date', 'Child Protection Plan End Date'],
    [7, 'Date CP plan ended', 'Child Protection Plan End Date'],
    [7, 'Category of Abuse', 'Latest Category of Abuse'],
    [7, 'Abuse category (latest)', 'Latest Category of Abuse'],
    [7, 'No. of previous CP plans', 'Number of Previous Child Protection Plans'],
    [7, 'Previous CP Plans (#)', 'Number of Previous Child Protection Plans'],
    // List 8: children in care.
    [8, 'CLA Start Date', 'Date Started to be Looked After'],
    [8, 'Date became LAC', 'Date Started to be Looked After'],
    [8, 'Date entered care', 'Date Started to be Looked After'],
    [8, 'CLA Legal Status', "Child's Legal Status"],
    [8, 'Legal Status', "Child's Legal Status"],
    [8, 'LAC placement type', 'Placement Type'],
    [8, 'Type of placement', 'Placement Type'],
    [8, 'UASC?', 'Unaccompanied Asylum Seeking Child (UASC)'],
    [8, 'UASC (Y/N)', 'Unaccompanied Asylum Seeking Child (UASC)'],
    [
      8,
      'Missing episodes (last 12 months)',
      "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
    ],
    [8, 'CLA End Date', 'Date Ceased to be Looked After'],
    [8, 'Date ceased LAC', 'Date Ceased to be Looked After'],
    [8, 'Category of Need', "Child's Category of Need"],
    // List 9: care leavers.
    [9, 'Eligibility', 'Eligibility Category'],
    [9, 'In touch?', 'LA in Touch'],
    [9, 'Local Authority in touch', 'LA in Touch'],
    [9, 'Accommodation Type', 'Type of Accommodation'],
    [9, 'Accommodation suitable?', 'Suitability of Accommodation'],
    [9, 'Main Activity', 'Activity Status'],
  ];

  it.each(cases)('list %i: "%s" → %s', (n, header, field) => {
    expect(fieldOf(header, list(n))).toBe(field);
  });

  it.each([
    [7, 'CP Plan End Date', 'Child Protection Plan Start Date'],
    [7, 'Date', 'Child Protection Plan Start Date'],
    [7, 'Initial Category of Abuse', 'Latest Category of Abuse'],
    [8, 'Date of birth', 'Date Started to be Looked After'],
    [6, 'Worker ID', 'Child Unique ID'],
    [6, 'Team ID', 'Child Unique ID'],
    [9, 'Postcode', 'Activity Status'],
  ])('list %i: "%s" is not %s', (n, header, field) => {
    const matched = matchHeaders(['Postcode', header], list(n)).find((m) => m.index === 1);
    expect(matched?.field).not.toBe(field);
  });

  it('takes "ID" alone as the child on a list of children', () => {
    expect(matchHeaders(['ID', 'Team'], list(7)).map((m) => [m.header, m.field])).toEqual([
      ['ID', 'Child Unique ID'],
      ['Team', 'Allocated Team'],
    ]);
  });

  it('reads the header each field matched before, whatever the new matching could add', () => {
    // "Allocated Team" fits the old pattern, so it wins over the earlier "Team" as it always has.
    const matches = matchHeaders(['Team', 'Child Unique ID', 'Allocated Team'], list(6));
    expect(matches.find((m) => m.field === 'Allocated Team')?.header).toBe('Allocated Team');
  });

  it('gives a field to its best header, then to the first, and each header to one field', () => {
    const matches = matchHeaders(
      ['Child ID', 'Team Name', 'Team', 'CP Start Date', 'Plan start date'],
      list(7),
    );
    expect(matches.map((m) => [m.header, m.field])).toEqual([
      ['Child ID', 'Child Unique ID'],
      ['Team Name', 'Allocated Team'],
      ['Plan start date', 'Child Protection Plan Start Date'],
    ]);
    // Twice the same: the first.
    expect(matchHeaders(['Child ID', 'Team', 'Team'], list(7))[1]).toMatchObject({ index: 1 });
  });

  it('never throws on odd headers', () => {
    const odd = [
      '',
      ' ',
      '()',
      '[',
      '#',
      '???',
      'ID ID ID',
      '(Team)',
      'x'.repeat(5000),
      '('.repeat(32767),
      '[a] '.repeat(8000),
      '🙂',
      'No',
      'Dt',
    ];
    for (const spec of [NATIVE, ...ANNEX_A_LISTS]) expect(() => matchHeaders(odd, spec)).not.toThrow();
    expect(() => detectSheet(odd, 'Sheet1')).not.toThrow();
  });
});

describe('detectSheet', () => {
  const common = ['Child ID', 'Team', 'Worker', 'Gender (M/F/U)', 'Ethnicity', 'Age'];
  it.each([
    [3, ['Referral Date']],
    [4, ['Assessment start date', 'Disabled?']],
    [5, ['Strategy discussion date']],
    [6, ['CIN Start Dt', 'Primary Need', 'Case status']],
    [7, ['CP Plan Start Date', 'Category of abuse', 'CP Plan End Date']],
    [8, ['CLA Start Date', 'CLA Legal Status', 'LAC placement type', 'UASC?']],
    [9, ['Eligibility', 'In touch?', 'Accommodation Type', 'Main activity']],
  ])('recognises list %i by its headers as councils write them', (n, own) => {
    expect(detectSheet([...common, ...own], 'Sheet1')?.list).toBe(n);
  });

  it('keeps recognising the native CSV and lists named by their sheet', () => {
    expect(detectSheet(['Case Ref', 'Case Type', 'Team'], 'cases.csv')).toBe(NATIVE);
    expect(detectSheet(['Child ID', 'Team'], 'List 8')?.list).toBe(8);
  });

  it('reads no list without an allocated team (early help, adoption), even with a column like a list’s', () => {
    const earlyHelp = [
      'Child Unique ID',
      'Gender',
      'Age',
      'Assessment start date',
      'Assessment completion date',
    ];
    const adoption = ['Child Unique ID', 'Does the Child have a Disability', 'Date the Child Entered Care'];
    expect(detectSheet(earlyHelp, 'Sheet1')).toBeUndefined();
    expect(detectSheet(adoption, 'Sheet1')).toBeUndefined();
    // Its signature still recognises a list whose team is missing, so the missing column is named.
    expect(detectSheet(['Child Unique ID', 'Child Protection Plan Start Date'], 'Sheet1')?.list).toBe(7);
  });

  it('recognises no list from common columns alone, nor without a child', () => {
    expect(detectSheet(common, 'Sheet1')).toBeUndefined();
    expect(detectSheet(['Team', 'CP Plan Start Date'], 'Sheet1')).toBeUndefined();
  });
});
