/**
 * Makes a month's board pack of the whole service as the director would, `warmups` times and then `runs`
 * times more, timing each (wall clock and this process's CPU): end to end (the figures read, laid out and
 * rendered to a PDF, as the service makes a pack) and the PDF rendering alone. Writes the last PDF and its
 * HTML twin to the folder given and prints the times (the first, and the runs after the warm-ups) and the
 * process's peak RSS as JSON. Run in its own process by bench/pack.ts, so that the peak memory is the
 * pack's own.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { createKnex } from '../src/db/connection';
import { DEMO_USERS, identityOf, type DemoUser } from '../src/demo/organisation';
import { createInfrastructure } from '../src/infrastructure';
import { createLogger } from '../src/logger';
import { renderHtml } from '../src/reporting/pdf/html';
import { renderPdf } from '../src/reporting/pdf/render';
import { createServices } from '../src/services';

/** Wall-clock and CPU milliseconds (this process's, user and system) of one run. */
export interface Timing {
  ms: number;
  cpuMs: number;
}

export interface PackRuns {
  /** The first run, before anything was parsed, compiled or kept: a process's first pack. */
  first: Timing;
  endToEnd: Timing[];
  render: Timing[];
  pages: number;
  maxRssMb: number;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, Timing]> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return [result, { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }];
}

async function main(): Promise<void> {
  const [url, month, runs, warmups, directory] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const knex = createKnex({ url, poolMax: 4 });
  const services = createServices(
    createInfrastructure(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn' }), createLogger('warn'), knex),
  );
  const director = await services.users.findByEmail(identityOf(DEMO_USERS[6] as DemoUser).email);
  if (!director) throw new Error('the demo director is missing');
  const endToEnd: Timing[] = [];
  const render: Timing[] = [];
  let made: Awaited<ReturnType<typeof services.packs.render>> | undefined;
  for (let i = 0; i < Number(warmups) + Number(runs); i++) {
    const [pack, whole] = await timed(() => services.packs.render(director, month));
    const [, alone] = await timed(() => renderPdf(pack.document));
    made = pack;
    endToEnd.push(whole);
    render.push(alone);
  }
  await knex.destroy();
  if (!made) throw new Error('no run');
  writeFileSync(path.join(directory, 'pack.pdf'), made.pdf);
  writeFileSync(path.join(directory, 'pack.html'), renderHtml(made.document));
  const result: PackRuns = {
    first: endToEnd[0] as Timing,
    endToEnd: endToEnd.slice(Number(warmups)),
    render: render.slice(Number(warmups)),
    pages: made.pages,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
