import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import type { CasesService } from '../../src/cases/service';
import type { ImportOptions } from '../../src/cases/types';

/**
 * Generators of case lists as councils send them, with the mess of real exports: header wording and case
 * that vary, values with and without lettered prefixes, dates as dd/mm/yyyy text, Excel serial numbers or
 * workbook dates, Excel errors, blank rows, a BOM and CRLF line ends.
 */

const TEAMS = [
  'Assessment North',
  'Family Safeguarding South 1',
  'Children in Care North',
  'Leaving Care North',
];
const WORKERS = ['Harry Chen', 'Ravi Turner', 'Mei Ward', 'Nadia Khan'];

export interface NativeRow {
  case_reference: string;
  case_type: string;
  team: string;
  worker?: string;
  age?: string;
  gender?: string;
  ethnicity?: string;
  disability?: string;
  category_of_abuse?: string;
  uasc?: string;
  missing_episodes?: string;
  start_date?: string;
  closed?: string;
  restricted?: string;
}

const NATIVE_HEADER: (keyof NativeRow)[] = [
  'case_reference',
  'case_type',
  'team',
  'worker',
  'age',
  'gender',
  'ethnicity',
  'disability',
  'category_of_abuse',
  'uasc',
  'missing_episodes',
  'start_date',
  'closed',
  'restricted',
];

const TYPES = ['child-in-need', 'child-protection', 'child-in-care', 'care-leaver'];

export function nativeRows(count: number, start = 1): NativeRow[] {
  return Array.from({ length: count }, (_, i) => {
    const n = start + i;
    const type = TYPES[n % TYPES.length] as string;
    return {
      case_reference: `C${String(n).padStart(7, '0')}`,
      case_type: type,
      team: TEAMS[n % TEAMS.length] as string,
      worker: WORKERS[n % WORKERS.length],
      age: String(n % 18),
      gender: n % 2 ? 'Female' : 'Male',
      ethnicity: 'WBRI',
      disability: n % 5 === 0 ? 'yes' : 'no',
      category_of_abuse: type === 'child-protection' ? (n % 3 ? 'neglect' : 'emotional-abuse') : '',
      uasc: type === 'child-in-care' ? (n % 7 === 0 ? 'yes' : 'no') : '',
      missing_episodes: type === 'child-in-care' ? String(n % 4) : '',
      start_date: `${String((n % 28) + 1).padStart(2, '0')}/0${(n % 9) + 1}/2025`,
      closed: n % 11 === 0 ? 'yes' : 'no',
      restricted: n % 13 === 0 ? 'yes' : 'no',
    };
  });
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: { bom?: boolean; crlf?: boolean } = {},
): string {
  const eol = options.crlf ? '\r\n' : '\n';
  const body = [header, ...rows].map((row) => row.map(csvCell).join(',')).join(eol);
  return `${options.bom ? '\uFEFF' : ''}${body}${eol}${eol}${eol}`;
}

export function nativeCsv(rows: NativeRow[], options: { bom?: boolean; crlf?: boolean } = {}): string {
  return toCsv(
    NATIVE_HEADER,
    rows.map((row) => NATIVE_HEADER.map((h) => row[h] ?? '')),
    options,
  );
}

/** The native case list as a workbook of one sheet (as a council might save the CSV from Excel). */
export async function nativeWorkbook(rows: NativeRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook
    .addWorksheet('Cases')
    .addRows([NATIVE_HEADER, ...rows.map((row) => NATIVE_HEADER.map((h) => row[h] ?? ''))]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Annex A list 7 and 8 and 9 rows, with a child on two lists and the formatting mess of real workbooks. */
export const ANNEX_A = {
  list7Header: [
    'Child Unique ID',
    'Gender',
    'Ethnicity',
    'Date of Birth',
    'AGE',
    'Does the child have a disability',
    'Child Protection Plan Start Date',
    'Initial Category of Abuse',
    'Latest category of abuse',
    'Child Protection Plan End Date',
    'Allocated Team',
    'Allocated  Worker',
  ],
  list8Header: [
    'Child Unique ID',
    'Gender',
    'Ethnicity',
    'Date of Birth',
    'Age of Child (Years)',
    'Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N))',
    'Does the Child have a Disability',
    'Date Started to be Looked After',
    'Start date of current legal status',
    "Child's Legal Status",
    'Placement Type',
    "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
    'Date Ceased to be Looked After',
    'Allocated Team',
    'Allocated Worker',
  ],
  list9Header: [
    'Child Unique ID',
    'Gender',
    'Age',
    'Allocated Team',
    'Allocated Worker',
    'Eligibility Category',
    'LA in Touch',
    'Activity Status',
  ],
};

export type AnnexCell = string | number | Date | { error: string } | null;

export function annexARows(): Record<7 | 8 | 9, AnnexCell[][]> {
  return {
    7: [
      [
        '1001',
        'b) Female',
        'a) WBRI',
        '04/01/2021',
        0.19,
        'b) No',
        '23/11/2020',
        'Physical abuse',
        'b) Physical abuse',
        null,
        'Family Safeguarding South 1',
        'Ravi Turner',
      ],
      [
        '1002',
        'Male',
        'r) OOTH',
        42029,
        5.79,
        'No',
        44235,
        'a) Neglect',
        'Neglect',
        44300,
        'family safeguarding south 1',
        'Mei Ward',
      ],
      [
        '1003',
        'a) Male',
        'WBRI',
        null,
        12,
        'a) Yes',
        new Date(Date.UTC(2025, 1, 8)),
        'd) Emotional abuse',
        'd) Emotional abuse',
        null,
        'Family Safeguarding South 1',
        'New Worker',
      ],
    ],
    8: [
      [
        '1003',
        'a) Male',
        'WBRI',
        null,
        12.9,
        'b) No',
        'b) No',
        '12/07/2010',
        '12/07/2010',
        'C2: FCO',
        'f) U6: Foster placement - not FFA',
        2,
        null,
        'Children in Care North',
        'Mei Ward',
      ],
      [
        '1004',
        'b) Female',
        's) NOBT',
        null,
        17.2,
        'a) Yes',
        'No',
        40029,
        40029,
        'E1: Placement order',
        'U4',
        0,
        '01/03/2026',
        'Children in Care North',
        'Nadia Khan',
      ],
    ],
    9: [
      [
        '1005',
        'Male',
        20,
        'Leaving Care North',
        'Jo Bloggs',
        'b) Former relevant child',
        'a) Yes',
        'F1: Full time in higher education',
      ],
      ['1006', 'Female', 19.4, { error: '#N/A' }, { error: '#N/A' }, 'Former relevant child', 'Yes', 'G5'],
    ],
  };
}

/**
 * An Annex A workbook: List 1 (ignored: no allocated team), lists 7 to 9, blank rows between; by default
 * with Ofsted's headers and sheets named "List N", or as the layout says.
 */
export async function annexAWorkbook(
  rows = annexARows(),
  layout: { names: string[]; headers: Record<7 | 8 | 9, string[]> } = {
    names: ['List 1', 'List 7', 'List 8', 'List 9'],
    headers: { 7: ANNEX_A.list7Header, 8: ANNEX_A.list8Header, 9: ANNEX_A.list9Header },
  },
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const [contacts, ...names] = layout.names;
  workbook.addWorksheet(contacts).addRows([
    ['Child Unique ID', 'Gender', 'Date of Contact'],
    ['1001', 'Female', 44090],
  ]);
  const sheets = ([7, 8, 9] as const).map(
    (n, i) => [names[i], layout.headers[n], rows[n]] as [string, string[], AnnexCell[][]],
  );
  for (const [name, header, data] of sheets) {
    const sheet = workbook.addWorksheet(name);
    sheet.addRow(header);
    data.forEach((row, i) => {
      if (i === 1) sheet.addRow([]);
      sheet.addRow(row);
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Checks the cases an import of `annexAWorkbook(annexARows())` made, however its sheets were headed. */
export async function expectAnnexACases(knex: Knex, importId: number): Promise<void> {
  const cases = await knex('case_record').where({ import_id: importId }).orderBy('case_ref');
  expect(
    cases.map((c) => [
      c.case_ref,
      c.case_type,
      c.category_of_abuse,
      c.legal_status,
      c.placement_type,
      c.closed,
    ]),
  ).toEqual([
    ['1001', 'child-protection', 'physical-abuse', null, null, false],
    ['1002', 'child-protection', 'neglect', null, null, true],
    // On list 7 and list 8: a child in care, from the later list.
    ['1003', 'child-in-care', null, 'C2', 'U6', false],
    ['1004', 'child-in-care', null, 'E1', 'U4', true],
    ['1005', 'care-leaver', null, null, null, false],
  ]);
  expect(cases.find((c) => c.case_ref === '1002')?.start_date).toBe('2021-02-08');
  expect(cases.find((c) => c.case_ref === '1004')).toMatchObject({
    uasc: true,
    age_years: 17,
    missing_episodes: 0,
  });
}

/** One Annex A list as CSV, as councils export each list separately (dates as dd/mm/yyyy text). */
export function annexACsv(
  header: string[],
  rows: AnnexCell[][],
  options: { bom?: boolean; crlf?: boolean } = {},
): string {
  const text = (cell: AnnexCell) =>
    cell === null
      ? ''
      : cell instanceof Date
        ? cell.toISOString().slice(0, 10).split('-').reverse().join('/')
        : typeof cell === 'object'
          ? cell.error
          : String(cell);
  return toCsv(
    header,
    rows.map((row) => row.map(text)),
    options,
  );
}

/**
 * Imports a case list (CSV text, or a workbook when the name ends .xlsx) as the system would, all or nothing
 * and refusing unknown teams unless told otherwise; returns the outcome, refused or not.
 */
export function importCaseList(
  cases: CasesService,
  data: string | Buffer,
  name: string,
  options: Partial<ImportOptions> = {},
) {
  return cases.importCases(
    {
      stream: Readable.from([typeof data === 'string' ? Buffer.from(data) : data]),
      kind: name.endsWith('.xlsx') ? 'xlsx' : 'csv',
      name,
    },
    { mode: 'all-or-nothing', unknownTeams: 'reject', sourceName: name, ...options },
    SYSTEM_ACTOR,
  );
}

/** Imports `count` generated native rows as a case list; returns the import's id. */
export async function importNativeCases(
  cases: CasesService,
  count: number,
  name = 'cases.csv',
): Promise<number> {
  const outcome = await importCaseList(cases, nativeCsv(nativeRows(count)), name);
  if (outcome.status !== 'imported')
    throw new Error(`the generated case list was refused: ${outcome.problemCount} problems`);
  return outcome.id;
}
