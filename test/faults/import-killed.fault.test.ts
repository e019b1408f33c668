import { DEMO } from '../support/app';
import { nativeCsv, nativeRows } from '../support/case-lists';
import { startFaultCluster, type FaultCluster } from '../support/fault-cluster';
import { apiToken, pause } from '../support/load';
import { waitFor } from '../support/server-process';

/**
 * The server is killed (SIGKILL) half-way through a 200,000-row case list import: after a restart the
 * interrupted import has left no cases, shows as failed, and the same file then imports in full.
 */

const ROWS = 200_000;

let cluster: FaultCluster;
beforeAll(async () => {
  cluster = await startFaultCluster();
});
afterAll(() => cluster?.close());

const upload = (url: string, token: string, csv: Buffer) =>
  fetch(`${url}/api/case-imports?filename=cases.csv&mode=all-or-nothing&unknownTeams=reject`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', accept: 'application/json' },
    body: new Uint8Array(csv),
  });

it('leaves no cases from an import its server died in, shows it failed, and imports the file again', async () => {
  const { knex, services } = cluster;
  const token = await apiToken(services, DEMO.admin);
  const csv = Buffer.from(nativeCsv(nativeRows(ROWS)));
  const copying = `select 1 from pg_stat_activity where query like 'copy case_staging%' and state = 'active'`;

  const first = await cluster.startServer();
  const interrupted = upload(first.url, token, csv).then(
    (res) => `answered ${res.status}`,
    (err: Error) => `no answer (${(err.cause as { code?: string } | undefined)?.code ?? err.message})`,
  );
  // Visibly in progress: recorded as running, its rows being copied; then a moment more, to be half-way in.
  await waitFor(async () => (await knex.raw<{ rows: unknown[] }>(copying)).rows.length > 0, 60_000);
  await pause(1500);
  const [running] = await knex('case_import').where({ status: 'running' }).select('id');
  expect(running).toBeDefined();
  first.child.kill('SIGKILL');
  await first.exited;
  const client = await interrupted;

  const second = await cluster.startServer();
  const status = async () => (await knex('case_import').where({ id: running.id }).first('status')).status;
  await waitFor(async () => (await status()) !== 'running', 30_000);
  expect(await status()).toBe('failed');
  expect(await knex('case_record').where({ import_id: running.id }).first()).toBeUndefined();
  const shown = await fetch(`${second.url}/api/case-imports/${running.id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(await shown.json()).toMatchObject({ id: running.id, status: 'failed', casesImported: 0 });

  const started = Date.now();
  const again = await upload(second.url, token, csv);
  const body = (await again.json()) as { id: number; casesImported: number };
  expect(again.status).toBe(201);
  expect(body.casesImported).toBe(ROWS);
  expect(Number((await knex('case_record').where({ import_id: body.id }).count('* as n').first())?.n)).toBe(
    ROWS,
  );
  console.log(
    `import killed: ${ROWS} rows (${(csv.length / 1e6).toFixed(1)} MB); the interrupted upload got ${client}; ` +
      `import ${running.id} shown as failed with no cases; run again as import ${body.id}: ` +
      `${body.casesImported} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});
