import { PassThrough } from 'node:stream';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { createTestContext, type TestContext } from '../support/app';
import { nativeCsv, nativeRows } from '../support/case-lists';
import { waitFor } from '../support/server-process';

/**
 * An import is recorded as running from its start: one whose transaction dies with its server is found by
 * the sweep and shown as failed; one still running (its transaction holds its row) is left alone; one that
 * fails in the server that runs it says so at once; a request at fault leaves no record, as before.
 */

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const status = async (id: number) => (await ctx.db.knex('case_import').where({ id }).first('status'))?.status;
const options = { mode: 'all-or-nothing', unknownTeams: 'reject', sourceName: 'cases.csv' } as const;

/** Starts an import of a file that arrives as the test sends it; returns it and its record's id. */
async function importInProgress() {
  const before = Number((await ctx.db.knex('case_import').max('id as id').first())?.id ?? 0);
  const stream = new PassThrough();
  const csv = nativeCsv(nativeRows(20));
  stream.write(csv.slice(0, csv.length / 2));
  const outcome = ctx.services.cases.importCases(
    { stream, kind: 'csv', name: 'cases.csv' },
    options,
    SYSTEM_ACTOR,
  );
  // Caught now, so a failing import is not an unhandled rejection while the test looks at it.
  const settled = outcome.then(
    (o) => ({ outcome: o, error: undefined }),
    (error: unknown) => ({ outcome: undefined, error }),
  );
  let id = 0;
  await waitFor(async () => {
    id = Number((await ctx.db.knex('case_import').where('id', '>', before).max('id as id').first())?.id ?? 0);
    return id > 0;
  }, 10_000);
  return { stream, rest: csv.slice(csv.length / 2), id, settled };
}

it('leaves a running import alone, and marks failed one whose server died part-way', async () => {
  const running = await importInProgress();
  expect(await status(running.id)).toBe('running');
  // As a server that died mid-import leaves it: a running row that no transaction holds.
  const [abandoned] = await ctx.db
    .knex('case_import')
    .insert({ format: 'native', mode: 'all-or-nothing', unknown_teams: 'reject', status: 'running' })
    .returning<{ id: number }[]>('id');

  expect(await ctx.services.cases.failAbandonedImports()).toBe(1);
  expect(await status(abandoned?.id ?? 0)).toBe('failed');
  expect(await status(running.id)).toBe('running');

  running.stream.end(running.rest);
  expect((await running.settled).outcome).toMatchObject({
    id: running.id,
    status: 'imported',
    casesImported: 20,
  });
  expect(await status(running.id)).toBe('imported');
});

it('marks an import failed at once when its database connection is lost, the server running on', async () => {
  const running = await importInProgress();
  const copying = `select pid from pg_stat_activity
    where datname = current_database() and query like 'copy case_staging%'`;
  await waitFor(async () => (await ctx.db.knex.raw<{ rows: unknown[] }>(copying)).rows.length === 1, 10_000);
  await ctx.db.knex.raw(`select pg_terminate_backend(pid) from (${copying}) c`);
  running.stream.end(running.rest);
  expect((await running.settled).error).toBeDefined();
  expect(await status(running.id)).toBe('failed');
  expect(await ctx.db.knex('case_record').where({ import_id: running.id }).first()).toBeUndefined();
});

it('keeps no record of a request the import refused before reading it', async () => {
  const before = Number((await ctx.db.knex('case_import').count('* as n').first())?.n);
  const stream = new PassThrough();
  stream.end(nativeCsv(nativeRows(3)));
  await expect(
    ctx.services.cases.importCases(
      { stream, kind: 'csv', name: 'cases.csv' },
      {
        ...options,
        mappings: [{ format: 'native', columns: { 'no such header': 'case_reference' }, values: {} }],
      },
      SYSTEM_ACTOR,
    ),
  ).rejects.toMatchObject({ status: 422 });
  expect(Number((await ctx.db.knex('case_import').count('* as n').first())?.n)).toBe(before);
});
