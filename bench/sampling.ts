import { SYSTEM_ACTOR } from '../src/activity-log/actor';
import { loadConfig } from '../src/config';
import { createKnex } from '../src/db/connection';
import { asExecutor } from '../src/db/transaction';
import { migrateLatest } from '../src/db/migrations';
import { seedDemo } from '../src/demo/seed';
import { createInfrastructure } from '../src/infrastructure';
import { createLogger } from '../src/logger';
import { FRAMEWORKS_DIR } from '../src/paths';
import { summarisePopulation } from '../src/rounds/population';
import { roundRepository } from '../src/rounds/repository';
import { DEFAULT_EXCLUSIONS, type RoundInput } from '../src/rounds/types';
import { drawFromGroups, type Stratify } from '../src/sampling/sample';
import type { SizeRule } from '../src/sampling/size';
import { createServices } from '../src/services';
import { sized } from './options';
import { rowsOf, type ResultRow } from './results';
import { benchDatabase, insertImport, median } from './support';

/**
 * A population of 1,000,000 cases (200,000 unless --full) across 150 teams. Times the sampling itself (in memory, as the service
 * does it: 2 per team, and proportional strata), then the whole dry run through the service (population
 * read with its exclusion flags, sample, allocation), and as the reference the usual SQL way of taking 2
 * per team at random on the same server: row_number() over (partition by team order by random()).
 */

const CASES = sized(1_000_000, 200_000);
/** The target: the whole dry run, 2 per team, under 500 ms. */
const TARGET_MS = 500;
const TEAMS = 150;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const row = (label: string, took: number, note = '') =>
  console.log(`  ${label.padEnd(66)}${ms(took).padStart(9)}${note ? `  ${note}` : ''}`);

async function timed<T>(runs: number, run: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), result: result as T };
}

export async function benchSampling(): Promise<ResultRow[]> {
  const db = await benchDatabase();
  const knex = createKnex({ url: db.url, poolMax: 4 });
  try {
    await migrateLatest(knex);
    const infrastructure = createInfrastructure(
      loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' }),
      createLogger('warn'),
      knex,
    );
    const services = createServices(infrastructure);
    await services.frameworks.loadDirectory(FRAMEWORKS_DIR, SYSTEM_ACTOR);
    await seedDemo(infrastructure.db, services.activityLog, SYSTEM_ACTOR);
    const existing = Number((await knex('team').count<{ n: number }[]>({ n: '*' }))[0]?.n);
    await knex('team').insert(
      Array.from({ length: TEAMS - existing }, (_, i) => ({
        code: `bench-${i + 1}`,
        name: `Bench Team ${i + 1}`,
        kind: 'family_safeguarding',
      })),
    );
    const importId = await insertImport(knex, 'bench', CASES);
    // Teams of uneven size (as real ones are), six case types, a few closed and restricted records.
    await knex.raw(
      `insert into case_record (import_id, case_ref, case_type, team_id, age_years, closed, restricted)
       select ?, 'B' || g,
              (array['child-in-need','child-protection','child-in-care','care-leaver','early-help','disabled-children'])[1 + g % 6],
              t.ids[1 + floor(${TEAMS} * power((abs(hashint4(g)) % 1000000) / 1000000.0, 1.5))::int], g % 18, g % 40 = 0, g % 97 = 0
       from generate_series(1, ${CASES}) g, (select array_agg(id order by id) as ids from team) t`,
      [importId],
    );
    await knex.raw('analyze case_record');

    const read = async (by: Stratify) => {
      const groups = await roundRepository.populationGroups(
        asExecutor(knex),
        importId,
        {},
        DEFAULT_EXCLUSIONS.auditedWithinMonths,
        by,
      );
      return { groups: summarisePopulation(groups, DEFAULT_EXCLUSIONS).strata };
    };
    const byTeam = await read('team');
    const byType = await read('case-type');
    console.log(
      `\nSampling (Node ${process.version}; PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'}): ${CASES.toLocaleString('en-GB')} cases, ${byTeam.groups.size} teams, ${[...byTeam.groups.values()].reduce((n, g) => n + g.length, 0).toLocaleString('en-GB')} eligible; medians of 5 runs`,
    );
    const rules: [string, SizeRule, Map<string, Float64Array>][] = [
      ['2 per team (150 strata)', { kind: 'per-team', perTeam: 2 }, byTeam.groups],
      ['600 in proportion to case type', { kind: 'fixed', total: 600 }, byType.groups],
      ['600 in proportion to team', { kind: 'fixed', total: 600 }, byTeam.groups],
      ['±3% at 95%, in proportion to team', { kind: 'margin-of-error', margin: 0.03 }, byTeam.groups],
    ];
    const figure = rowsOf('sampling');
    const size = `${CASES.toLocaleString('en-GB')} cases`;
    const rows: ResultRow[] = [];
    let seed = 1;
    for (const [label, rule, groups] of rules) {
      const { ms: took, result } = await timed(5, () => drawFromGroups(groups, rule, seed++));
      row(`sampling only, ${label}`, took, `${result.sample.length} cases`);
      rows.push(figure(`sampling only, ${label}, ${size}`, took, 'ms'));
    }

    const plan = (size: SizeRule, stratifyBy: Stratify): RoundInput => ({
      name: 'Bench',
      frameworkId: 'childrens-social-care-case-audit',
      frameworkVersion: '1.0.0',
      importId,
      dueDate: '2999-12-31',
      seed: 7,
      filters: {},
      size,
      stratifyBy,
      exclusions: DEFAULT_EXCLUSIONS,
    });
    const reading = await timed(5, () => read('team'));
    row('reading the population into strata, with exclusion counts', reading.ms);
    rows.push(figure(`reading the population into strata, ${size}`, reading.ms, 'ms'));
    const dryRuns: [string, RoundInput][] = [
      ['2 per team', plan({ kind: 'per-team', perTeam: 2 }, 'team')],
      ['600 in proportion to case type', plan({ kind: 'fixed', total: 600 }, 'case-type')],
    ];
    let perTeamDryRun = 0;
    const dryRunTimes: number[] = [];
    for (const [label, input] of dryRuns) {
      const run = await timed(5, () => services.rounds.preview(input));
      perTeamDryRun ||= run.ms;
      dryRunTimes.push(run.ms);
      row(
        `whole dry run (read, sample, allocate), ${label}`,
        run.ms,
        `${run.result.total} cases, ${run.result.auditors.length} auditors`,
      );
    }
    const reference = await timed(5, () =>
      knex.raw(
        `select id from (select id, row_number() over (partition by team_id order by random()) as n
                          from case_record where import_id = ? and not closed and not restricted) s where n <= 2`,
        [importId],
      ),
    );
    row('reference: SQL row_number() over (partition by team order by random())', reference.ms, '2 per team');
    console.log(
      `  whole dry run, 2 per team, against the reference: ${(perTeamDryRun / reference.ms).toFixed(2)}x`,
    );
    console.log(
      `  target under ${TARGET_MS} ms for the whole dry run: ${perTeamDryRun < TARGET_MS ? 'met' : 'NOT met'}`,
    );
    rows.push(
      figure(`whole dry run, 2 per team, ${size}`, perTeamDryRun, 'ms', {
        reference: reference.ms,
        target: `< ${TARGET_MS} ms`,
        met: perTeamDryRun < TARGET_MS,
      }),
      figure(`whole dry run, 600 in proportion to case type, ${size}`, dryRunTimes[1] as number, 'ms'),
      figure(`reference: SQL row_number(), 2 per team, ${size}`, reference.ms, 'ms'),
    );
    return rows;
  } finally {
    await knex.destroy();
    await db.close();
  }
}
