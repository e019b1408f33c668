import fc from 'fast-check';
import type { ImportOptions } from '../../src/cases/types';
import { createTestContext, type TestContext } from '../support/app';
import { importCaseList, nativeRows, toCsv, type NativeRow } from '../support/case-lists';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** The native fields, each with a header a council's system might give it (abbreviations, brackets, "?"). */
const COUNCIL: [keyof NativeRow, string][] = [
  ['case_reference', 'Person No.'],
  ['case_type', 'Open to (CIN/CP/CLA)'],
  ['team', 'Team (current)'],
  ['worker', 'SW allocated'],
  ['age', 'Age (yrs)'],
  ['gender', 'Sex'],
  ['ethnicity', 'Ethnic origin'],
  ['disability', 'Disabled?'],
  ['category_of_abuse', 'CP category'],
  ['uasc', 'UASC?'],
  ['missing_episodes', 'No. of missing episodes'],
  ['start_date', 'Date started (episode)'],
  ['closed', 'Closed?'],
  ['restricted', 'Restricted record'],
];
const MAPPING = {
  format: 'native',
  columns: Object.fromEntries(COUNCIL.map(([field, header]) => [header, field])),
};

const csvOf = (pairs: [keyof NativeRow, string][], rows: NativeRow[]) =>
  toCsv(
    pairs.map(([, header]) => header),
    rows.map((row) => pairs.map(([field]) => row[field] ?? '')),
  );

const run = (data: string, options: Partial<ImportOptions> = {}) =>
  importCaseList(ctx.services.cases, data, 'council.csv', options);
const withMapping = (mapping: unknown, data: string) =>
  ctx.services.cases.resolveMapping(JSON.stringify(mapping)).then((m) => run(data, { mappings: [m] }));

/** The cases an import wrote, without their own ids. */
const casesOf = async (importId: number) =>
  (await ctx.db.knex('case_record').where({ import_id: importId }).orderBy('case_ref')).map(
    ({ id: _id, import_id: _import, ...rest }: Record<string, unknown>) => rest,
  );
const caseCount = async () => Number((await ctx.db.knex('case_record').count('* as n').first())?.n);

describe('the column-mapping step', () => {
  it('answers a list it cannot read with its headers, samples, best guesses and the fields still missing', async () => {
    const outcome = await run(csvOf(COUNCIL, nativeRows(6)), { format: 'native' });
    expect(outcome.status).toBe('refused');
    const need = outcome.mappingNeeded?.[0];
    expect(need).toMatchObject({ headers: COUNCIL.map(([, h]) => h) });
    expect(need?.sampleRows[0]?.[0]).toBe('C0000001');
    expect(need?.sampleRows.length).toBeGreaterThan(0);
    expect(need?.missing).toEqual(expect.arrayContaining(['case_type']));
    // Every guess made is right.
    for (const [header, field] of Object.entries(need?.suggestion.columns ?? {}))
      if (field) expect([header, field]).toEqual([header, MAPPING.columns[header]]);
  });

  it('imports with a confirmed mapping, saves it by name, and applies it to the same headers in any order', async () => {
    const rows = nativeRows(12);
    const first = await withMapping({ ...MAPPING, name: 'Council system export' }, csvOf(COUNCIL, rows));
    expect(first).toMatchObject({ status: 'imported', casesImported: 12 });
    expect(first.notes.join(' ')).toMatch(/“Council system export” was saved/);
    expect(first.sheets[0]?.columns).toEqual(
      expect.arrayContaining([{ header: 'Open to (CIN/CP/CLA)', field: 'case_type' }]),
    );
    const logged = await ctx.db.knex('audit_event').where({ action: 'case_import_mapping.save' });
    expect(logged.length).toBeGreaterThan(0);

    const again = await run(csvOf([...COUNCIL].reverse(), rows));
    expect(again).toMatchObject({ status: 'imported', casesImported: 12 });
    expect(again.notes.join(' ')).toMatch(/saved mapping “Council system export” was used/);
    expect(await casesOf(again.id)).toEqual(await casesOf(first.id));
    expect((await ctx.services.cases.resolveMapping('Council system export')).format).toBe('native');
  });

  it.each([
    [
      'two headers for one field',
      { ...MAPPING, columns: { ...MAPPING.columns, Sex: 'team' } },
      /both feed team/,
    ],
    [
      'a required field left unmapped',
      { ...MAPPING, columns: { ...MAPPING.columns, 'Open to (CIN/CP/CLA)': null } },
      /no header feeds case_type/,
    ],
    ['an unknown field', { ...MAPPING, columns: { ...MAPPING.columns, Sex: 'shoe_size' } }, /not a field/],
    [
      'a value no field allows',
      { ...MAPPING, values: { closed: { open: 'maybe' } } },
      /must be one of yes, no/,
    ],
    ['a list that does not exist', { ...MAPPING, format: 'annex-a', list: 12 }, /list from 3 to 9/],
  ])('refuses a mapping with %s, clearly, importing nothing', async (_what, mapping, message) => {
    const before = await caseCount();
    await expect(withMapping(mapping, csvOf(COUNCIL, nativeRows(3)))).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(message),
    });
    expect(await caseCount()).toBe(before);
  });

  it('refuses the name of no saved mapping', async () => {
    await expect(ctx.services.cases.resolveMapping('No such mapping')).rejects.toMatchObject({ status: 422 });
  });

  it('reports unknown coded values with the allowed ones, and reads them once mapped', async () => {
    const rows = nativeRows(8).map((r) => ({
      ...r,
      case_type: 'child-protection',
      category_of_abuse: r.category_of_abuse === 'neglect' ? 'N - Neglect' : 'Emotional',
    }));
    const data = csvOf(COUNCIL, rows);
    const refused = await withMapping(MAPPING, data);
    expect(refused.status).toBe('refused');
    expect(refused.mappingNeeded?.[0]?.unknownValues).toEqual([
      expect.objectContaining({
        field: 'category_of_abuse',
        header: 'CP category',
        values: expect.arrayContaining(['N - Neglect', 'Emotional']),
        allowed: expect.arrayContaining(['neglect', 'emotional-abuse']),
      }),
    ]);
    const values = { category_of_abuse: { 'n - neglect': 'neglect', emotional: 'emotional-abuse' } };
    const imported = await withMapping({ ...MAPPING, values }, data);
    expect(imported.status).toBe('imported');
    const read = await casesOf(imported.id);
    expect(new Set(read.map((c) => c.category_of_abuse))).toEqual(new Set(['neglect', 'emotional-abuse']));
  });

  it('imports a correctly mapped shuffle of the columns identically', async () => {
    const rows = nativeRows(10, 500);
    const baseline = await casesOf((await withMapping(MAPPING, csvOf(COUNCIL, rows))).id);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(COUNCIL, { minLength: COUNCIL.length }), async (order) => {
        const outcome = await withMapping(MAPPING, csvOf(order, rows));
        expect(outcome.status).toBe('imported');
        expect(await casesOf(outcome.id)).toEqual(baseline);
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});

/** Headers as systems export them: each with the fields it means, to check the guesses made for them. */
const VARIANTS: [string, [string, keyof NativeRow][]][] = [
  [
    'abbreviations',
    [
      ['Child ID', 'case_reference'],
      ['Case type', 'case_type'],
      ['Allocated team', 'team'],
      ['Allocated SW', 'worker'],
      ['CP category of abuse', 'category_of_abuse'],
      ['UASC', 'uasc'],
    ],
  ],
  [
    'reordered words, brackets and question marks',
    [
      ['ID (child)', 'case_reference'],
      ['Type of case', 'case_type'],
      ['Team allocated', 'team'],
      ['Worker (allocated)', 'worker'],
      ['Disability?', 'disability'],
      ['Age [years]', 'age'],
    ],
  ],
  [
    'numbers and looked-after wording',
    [
      ['Child Reference No.', 'case_reference'],
      ['Case type (CIN/CP/LAC)', 'case_type'],
      ['Responsible team', 'team'],
      ['No. missing episodes', 'missing_episodes'],
      ['Gender', 'gender'],
    ],
  ],
];

describe('lists headed in councils’ own words', () => {
  it.each(VARIANTS)('with %s import once the mapping step is confirmed', async (_what, pairs) => {
    const rows = nativeRows(5, 900);
    const data = csvOf(
      pairs.map(([header, field]) => [field, header]),
      rows,
    );
    const first = await run(data, { format: 'native' });
    const truth = Object.fromEntries(pairs);
    // The guesses made, on the mapping step or in an import that needed none, are all right.
    const guesses =
      first.status === 'imported'
        ? (first.sheets[0]?.columns ?? []).map((c) => [c.header, c.field])
        : Object.entries(first.mappingNeeded?.[0]?.suggestion.columns ?? {});
    for (const [header, field] of guesses)
      if (field) expect([header, field]).toEqual([header, truth[header]]);
    const outcome = await withMapping({ format: 'native', columns: truth }, data);
    expect(outcome).toMatchObject({ status: 'imported', casesImported: 5 });
    expect(outcome.sheets[0]?.columns).toEqual(
      expect.arrayContaining(pairs.map(([header, field]) => ({ header, field }))),
    );
  });
});
