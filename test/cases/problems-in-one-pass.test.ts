import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import type { ImportOptions } from '../../src/cases/types';
import { createTestContext, type TestContext } from '../support/app';
import {
  ANNEX_A,
  importCaseList,
  annexACsv,
  annexARows,
  annexAWorkbook,
  nativeCsv,
  nativeRows,
  nativeWorkbook,
} from '../support/case-lists';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const run = (data: string | Buffer, name: string, options: Partial<ImportOptions> = {}) =>
  importCaseList(ctx.services.cases, data, name, options);

const caseCount = async () => Number((await ctx.db.knex('case_record').count('* as n').first())?.n);

/** Five native rows: line 3 has a bad age and names an unknown team; line 5 repeats line 3's child. */
function nativeWithEveryKindOfProblem() {
  const rows = nativeRows(5, 700);
  Object.assign(rows[1] as object, { age: 'ten', team: 'Nowhere Team' });
  Object.assign(rows[3] as object, { case_reference: rows[1]?.case_reference });
  return rows;
}
const NATIVE_PROBLEMS = (sheet: string) => [
  { sheet, line: 3, column: 'age', value: 'ten', reason: 'must be a number from 0 to 30' },
  {
    sheet,
    line: 3,
    column: 'team',
    value: 'Nowhere Team',
    reason: expect.stringMatching(/^is not a known team/),
  },
  {
    sheet,
    line: 5,
    column: 'case_reference',
    value: 'C0000701',
    reason: 'is on this list more than once (lines 3, 5)',
  },
];

/** Annex A list 7: the second child has an unreadable start date and an unknown team, and is listed twice. */
function annexWithEveryKindOfProblem() {
  const rows = annexARows();
  const bad = [...(rows[7][1] as never[])] as (typeof rows)[7][number];
  bad[6] = '31/02/2021';
  bad[10] = 'Nowhere Team';
  rows[7] = [rows[7][0] as never, bad, [...bad] as never];
  rows[7][2]![6] = '01/02/2021';
  return rows;
}
const ANNEX_PROBLEMS = (sheet: string, first: number, second: number) => [
  {
    sheet,
    line: first,
    column: 'Child Protection Plan Start Date',
    value: '31/02/2021',
    reason: 'is not a real date',
  },
  {
    sheet,
    line: first,
    column: 'Allocated Team',
    value: 'Nowhere Team',
    reason: expect.stringMatching(/^is not a known team/),
  },
  {
    sheet,
    line: second,
    column: 'Child Unique ID',
    value: '1002',
    reason: `is on this list more than once (lines ${first}, ${second})`,
  },
  {
    sheet,
    line: second,
    column: 'Allocated Team',
    value: 'Nowhere Team',
    reason: expect.stringMatching(/^is not a known team/),
  },
];

describe('every problem of a file is reported in one pass, whatever its format', () => {
  const cases: [string, () => [string | Buffer, string] | Promise<[string | Buffer, string]>, unknown[]][] = [
    [
      'native CSV',
      () => [nativeCsv(nativeWithEveryKindOfProblem()), 'cases.csv'],
      NATIVE_PROBLEMS('cases.csv'),
    ],
    [
      'native XLSX',
      async () => [await nativeWorkbook(nativeWithEveryKindOfProblem()), 'cases.xlsx'],
      NATIVE_PROBLEMS('Cases'),
    ],
    [
      'Annex A CSV',
      () => [annexACsv(ANNEX_A.list7Header, annexWithEveryKindOfProblem()[7]), 'List 7.csv'],
      ANNEX_PROBLEMS('List 7.csv', 3, 4),
    ],
    [
      // The workbook leaves a blank row before the second row of each list.
      'Annex A XLSX',
      async () => [await annexAWorkbook(annexWithEveryKindOfProblem()), 'annex.xlsx'],
      [
        ...ANNEX_PROBLEMS('List 7', 4, 5),
        {
          sheet: 'List 9',
          line: 4,
          column: 'Allocated Team',
          value: '#N/A',
          reason: 'is an Excel error (#N/A): Allocated Team is needed for every row',
        },
      ],
    ],
  ];

  it.each(cases)(
    '%s: row problems, repeated children and unknown teams together; nothing imported',
    async (_label, file, expected) => {
      const before = await caseCount();
      const [data, name] = await file();
      const outcome = await run(data, name);
      expect(outcome.status).toBe('refused');
      expect(outcome.problems).toEqual(expected);
      expect(outcome.problemCount).toBe(expected.length);
      expect(await caseCount()).toBe(before);
    },
  );

  it('skip-invalid: a row left out for a bad value also gives its unknown team and repeat as reasons', async () => {
    const outcome = await run(nativeCsv(nativeWithEveryKindOfProblem()), 'skip.csv', {
      mode: 'skip-invalid',
    });
    expect(outcome).toMatchObject({ status: 'imported', casesImported: 3, rowsRejected: 2, problemCount: 3 });
    const report = await ctx.services.cases.rejections(outcome.id, SYSTEM_ACTOR);
    expect(report.map((r) => [r.line, r.reasons])).toEqual([
      [
        3,
        'age: must be a number from 0 to 30; case_reference: "C0000701" is on this list more than once (lines 3, 5); ' +
          'team: "Nowhere Team" is not a known team',
      ],
      [5, 'case_reference: "C0000701" is on this list more than once (lines 3, 5)'],
    ]);
  });

  it('a huge bad file gives a bounded list that still shows each kind of problem, and counts the rest', async () => {
    const rows = nativeRows(1500, 2000).map((row) => ({ ...row, age: 'x' }));
    Object.assign(rows[1400] as object, { team: 'Nowhere Team' });
    const outcome = await run(nativeCsv(rows), 'many.csv');
    expect(outcome.problemCount).toBe(1501);
    expect(outcome.problems).toHaveLength(1000);
    expect(outcome.problems).toContainEqual(
      expect.objectContaining({ line: 1402, column: 'team', value: 'Nowhere Team' }),
    );
    const lines = outcome.problems.map((p) => p.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
