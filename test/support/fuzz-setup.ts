import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestContext, type TestContext } from './app';
import { isRefusedImportRecord, watchChanges, type Change } from './change-watch';
import { createProbe, slowest, type Probe } from './fuzz-probe';
import { countFuzzCases } from './fuzz-tally';
import { fuzzTargets, type FuzzTargets } from './fuzz-targets';
import { capturedLogger } from './log-capture';

export interface FuzzSetup {
  readonly ctx: TestContext;
  readonly targets: FuzzTargets;
  readonly probe: Probe;
  readonly base: string;
}

/**
 * For a fuzz file: before its tests, the app on its own database with the demo's activity seeded, served
 * on a port, its changes watched; after them, its count printed and added to the run's. Fields are filled
 * in once the tests run.
 */
export function fuzzSetup(
  name: string,
  seed: number,
  allowedOnRefusal: (change: Change) => boolean = isRefusedImportRecord,
): FuzzSetup {
  const setup = {} as { ctx: TestContext; targets: FuzzTargets; probe: Probe; base: string };
  let server: http.Server;
  beforeAll(async () => {
    const started = Date.now();
    const { logger, lines } = capturedLogger('error');
    setup.ctx = await createTestContext({ frameworks: true, logger });
    server = http.createServer(setup.ctx.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    setup.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    setup.targets = await fuzzTargets(setup.ctx, setup.base);
    const watch = await watchChanges(setup.ctx.db.knex);
    setup.probe = createProbe({ base: setup.base, watch, seed, logLines: lines, allowedOnRefusal });
    console.log(`fuzz: ${name}: seed ${seed}; set up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 180_000);

  afterAll(async () => {
    const { tally } = setup.probe;
    console.log(
      `fuzz: ${name}: ${tally.cases.toLocaleString('en-GB')} cases, ${tally.serverErrors} answered 5xx, ` +
        `${tally.refusedUnchanged.toLocaleString('en-GB')} refused with the database unchanged; ` +
        `answers ${JSON.stringify(tally.byStatus)}; slowest ${slowest(tally.seconds)}`,
    );
    countFuzzCases({ file: name, cases: tally.cases, serverErrors: tally.serverErrors });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await setup.ctx.close();
  }, 60_000);
  return setup;
}
