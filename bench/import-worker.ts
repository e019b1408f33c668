/**
 * Imports one case list file through the service (as the API does) and prints elapsed time, cases imported
 * and peak RSS as JSON. Run in its own process by bench/import.ts, so its peak memory is its own.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { SYSTEM_ACTOR } from '../src/activity-log/actor';
import { loadConfig } from '../src/config';
import { createKnex } from '../src/db/connection';
import { createInfrastructure } from '../src/infrastructure';
import { createLogger } from '../src/logger';
import { createServices } from '../src/services';

async function main(): Promise<void> {
  const [url, file] = process.argv.slice(2) as [string, string];
  const knex = createKnex({ url, poolMax: 4 });
  const services = createServices(
    createInfrastructure(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn' }), createLogger('warn'), knex),
  );
  const started = performance.now();
  const outcome = await services.cases.importCases(
    { stream: createReadStream(file), kind: 'csv', name: path.basename(file) },
    { mode: 'all-or-nothing', unknownTeams: 'create', sourceName: path.basename(file) },
    SYSTEM_ACTOR,
  );
  const ms = performance.now() - started;
  await knex.destroy();
  process.stdout.write(
    `${JSON.stringify({ ms, status: outcome.status, cases: outcome.casesImported, problems: outcome.problemCount, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

void main();
