import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SYSTEM_ACTOR } from '../src/activity-log/actor';
import { createKnex } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { seedDemo } from '../src/demo/seed';
import { TEAMS } from '../src/demo/organisation';
import { ROOT_DIR } from '../src/paths';
import { loadConfig } from '../src/config';
import { createInfrastructure } from '../src/infrastructure';
import { createLogger } from '../src/logger';
import { createServices } from '../src/services';
import { fullRun, sized } from './options';
import { rowsOf, type ResultRow } from './results';
import { benchDatabase, seconds } from './support';

/**
 * Imports a native CSV of 100,000 cases and an Annex A (list 8) CSV of 100,000 rows through the same code
 * path the API uses, and loads the same files with `psql \copy` into plain tables of text columns on the same
 * server (the reference: the fastest way PostgreSQL takes a CSV). Then imports 1,000,000 rows (with --full;
 * else the native 100,000 again) in a process of its own and prints its peak RSS.
 */

const ROWS = 100_000;
/** Rows of the file imported in a process of its own, whose peak RSS is measured: 1,000,000 with --full. */
const ALONE_ROWS = sized(1_000_000, ROWS);
/** The target: the peak RSS of a million-row import under 200 MB. */
const TARGET_RSS_MB = 200;
/** The old space (`--max-old-space-size`) of a second run of the million rows, to show what the import keeps. */
const CAPPED_OLD_SPACE_MB = 100;
/** The stretch target for an import against `psql \copy` of the same file, and why it is not met. */
const COPY_TARGET_RATIO = 2;
const COPY_EXPLAINED =
  'every row is parsed, checked and mapped in Node (values, teams, duplicates, with line and column for each problem) before COPY; loading into a partition and checking in SQL was not attempted';
const TYPES = ['child-in-need', 'child-protection', 'child-in-care', 'care-leaver'];
const WORKERS = ['Harry Chen', 'Ravi Turner', 'Mei Ward', 'Nadia Khan', 'Owen Kelly', 'Zara Price'];

const NATIVE_HEADER =
  'case_reference,case_type,team,worker,age,gender,ethnicity,disability,category_of_abuse,uasc,missing_episodes,start_date,closed,restricted';
function nativeLine(n: number): string {
  const type = TYPES[n % 4] as string;
  const team = TEAMS[n % TEAMS.length]?.name ?? '';
  return `C${n},${type},${team},${WORKERS[n % WORKERS.length]},${n % 18},${n % 2 ? 'Female' : 'Male'},WBRI,${n % 5 ? 'no' : 'yes'},${type === 'child-protection' ? 'neglect' : ''},${type === 'child-in-care' ? 'no' : ''},${type === 'child-in-care' ? n % 4 : ''},${String((n % 28) + 1).padStart(2, '0')}/0${(n % 9) + 1}/2025,${n % 11 ? 'no' : 'yes'},no`;
}

const ANNEX_HEADER =
  "Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N),Does the Child have a Disability,Date Started to be Looked After,Start date of current legal status,Child's Legal Status,Placement Type,Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months,Date Ceased to be Looked After,Allocated Team,Allocated Worker";
function annexLine(n: number): string {
  const team = TEAMS[n % TEAMS.length]?.name ?? '';
  return `A${n},${n % 2 ? 'b) Female' : 'a) Male'},a) WBRI,01/01/2010,${(n % 18) + 0.5},b) No,b) No,12/07/2020,12/07/2020,C2: FCO,"f) U6: Foster placement - not FFA",${n % 4},,${team},${WORKERS[n % WORKERS.length]}`;
}

async function writeFile(
  file: string,
  header: string,
  count: number,
  line: (n: number) => string,
): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let n = 1; n <= count; n++) {
    if (!out.write(`${line(n)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function psqlCopy(url: string, table: string, columns: number, file: string): number | undefined {
  const columnList = Array.from({ length: columns }, (_, i) => `c${i} text`).join(', ');
  const run = (command: string) =>
    execFileSync('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], { stdio: 'pipe' });
  run(`drop table if exists ${table}; create table ${table} (${columnList})`);
  const started = performance.now();
  run(`\\copy ${table} from '${file}' with (format csv, header true)`);
  return performance.now() - started;
}

interface AloneResult {
  ms: number;
  cases: number;
  maxRssMb: number;
}

/** The compiled worker (npm run bench builds first) imports `file`, as the service runs: no TypeScript compiler in memory. */
function importAlone(url: string, file: string, nodeFlags: string[] = []): AloneResult {
  const worker = spawnSync(
    process.execPath,
    [...nodeFlags, path.join(ROOT_DIR, 'dist/bench/import-worker.js'), url, file],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (worker.status !== 0) throw new Error(worker.stderr);
  return JSON.parse(worker.stdout.trim().split('\n').pop() as string) as AloneResult;
}

export async function benchImport(): Promise<ResultRow[]> {
  const hasPsql = spawnSync('psql', ['--version']).status === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'case-audit-bench-import-'));
  const db = await benchDatabase();
  try {
    const knex = createKnex({ url: db.url, poolMax: 4 });
    await migrateLatest(knex);
    const infrastructure = createInfrastructure(
      loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' }),
      createLogger('warn'),
      knex,
    );
    const services = createServices(infrastructure);
    await seedDemo(infrastructure.db, services.activityLog, SYSTEM_ACTOR);
    const native = path.join(dir, 'native-100k.csv');
    const annex = path.join(dir, 'List 8.csv');
    await writeFile(native, NATIVE_HEADER, ROWS, nativeLine);
    await writeFile(annex, ANNEX_HEADER, ROWS, annexLine);
    const alone = fullRun ? path.join(dir, 'native-1m.csv') : native;
    if (fullRun) await writeFile(alone, NATIVE_HEADER, ALONE_ROWS, nativeLine);

    const importOnce = async (file: string) => {
      const { createReadStream } = await import('node:fs');
      const started = performance.now();
      const outcome = await services.cases.importCases(
        { stream: createReadStream(file), kind: 'csv', name: path.basename(file) },
        { mode: 'all-or-nothing', unknownTeams: 'create', sourceName: path.basename(file) },
        SYSTEM_ACTOR,
      );
      if (outcome.status !== 'imported')
        throw new Error(`${file}: ${JSON.stringify(outcome.problems.slice(0, 3))}`);
      return { ms: performance.now() - started, cases: outcome.casesImported };
    };

    const row = rowsOf('import');
    const rows: ResultRow[] = [];
    console.log(
      `\nCase imports (Node ${process.version}; PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'})`,
    );
    console.log(
      `${''.padEnd(40)}${'import'.padStart(10)}${'psql \\copy'.padStart(12)}${'ratio'.padStart(8)}`,
    );
    for (const [label, file, columns] of [
      [`native CSV, ${ROWS.toLocaleString('en-GB')} cases`, native, 14],
      [`Annex A list 8 CSV, ${ROWS.toLocaleString('en-GB')} rows`, annex, 15],
    ] as const) {
      const ours = await importOnce(file);
      const reference = hasPsql ? psqlCopy(db.url, 'bench_plain', columns, file) : undefined;
      rows.push(
        row(
          label,
          ours.ms / 1000,
          's',
          reference === undefined
            ? {}
            : {
                reference: reference / 1000,
                target: `≤ ${COPY_TARGET_RATIO} × psql \\copy (stretch)`,
                met: ours.ms / reference <= COPY_TARGET_RATIO,
                explained: COPY_EXPLAINED,
              },
        ),
      );
      console.log(
        `${label.padEnd(40)}${seconds(ours.ms).padStart(10)}${(reference ? seconds(reference) : 'no psql').padStart(12)}${(reference ? `${(ours.ms / reference).toFixed(1)}x` : '').padStart(8)}`,
      );
    }
    await knex.destroy();

    const mb = statSync(alone).size / 1048576;
    const size = `native CSV, ${ALONE_ROWS.toLocaleString('en-GB')} cases`;
    const result = importAlone(db.url, alone);
    const met = result.maxRssMb < TARGET_RSS_MB;
    console.log(
      `${size} (${mb.toFixed(0)} MB) in a process of its own: ${seconds(result.ms)}, ${result.cases.toLocaleString('en-GB')} cases, peak RSS ${result.maxRssMb.toFixed(0)} MB` +
        (fullRun
          ? ` (target under ${TARGET_RSS_MB} MB: ${met ? 'met' : 'NOT met'})`
          : ` (the target, under ${TARGET_RSS_MB} MB, is for 1,000,000 cases: --full)`),
    );
    rows.push(row(`${size}, in a process of its own`, result.ms / 1000, 's'));
    if (!fullRun) {
      // The target is for a million rows: a smaller file's peak says little about it.
      rows.push(row(`peak RSS importing ${size}`, result.maxRssMb, 'MB'));
      return rows;
    }
    // V8 collects lazily while memory is free: the same import with its old space capped shows what it keeps.
    const capped = importAlone(db.url, alone, [`--max-old-space-size=${CAPPED_OLD_SPACE_MB}`]);
    console.log(
      `  again with the heap's old space capped at ${CAPPED_OLD_SPACE_MB} MB: ${seconds(capped.ms)}, peak RSS ${capped.maxRssMb.toFixed(0)} MB`,
    );
    rows.push(
      row(`peak RSS importing ${size}`, result.maxRssMb, 'MB', {
        target: `< ${TARGET_RSS_MB} MB`,
        met,
        explained: `V8 left garbage uncollected while memory was free: with its old space capped at ${CAPPED_OLD_SPACE_MB} MB the same import took ${seconds(capped.ms)} and peaked at ${capped.maxRssMb.toFixed(0)} MB (next row)`,
      }),
      row(
        `peak RSS importing ${size}, old space capped at ${CAPPED_OLD_SPACE_MB} MB`,
        capped.maxRssMb,
        'MB',
        { target: `< ${TARGET_RSS_MB} MB`, met: capped.maxRssMb < TARGET_RSS_MB },
      ),
    );
    return rows;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
