import { execFileSync } from 'node:child_process';
import { ROOT_DIR } from '../src/paths';
import { benchFrameworks } from './frameworks';
import { benchGrading } from './grading';
import { benchImport } from './import';
import { benchMemory } from './memory';
import { benchPack } from './pack';
import { benchRemediation } from './remediation';
import { benchSampling } from './sampling';
import { benchStartup } from './startup';
import { benchSummary } from './summary';
import { benchMixed } from './mixed';
import { benchNames } from './options';
import { resultsTable, writeResults, type ResultRow } from './results';

type Bench = () => Promise<ResultRow[]>;

const BENCHES: Record<string, Bench> = {
  startup: benchStartup,
  memory: benchMemory,
  frameworks: benchFrameworks,
  import: benchImport,
  sampling: benchSampling,
  grading: benchGrading,
  remediation: benchRemediation,
  pack: benchPack,
  summary: benchSummary,
  mixed: benchMixed,
};

/**
 * Runs the benchmarks named on the command line (default: all) against a fresh build, printing figures,
 * then one table of every bench's rows. A full run writes the table to bench/RESULTS.md; a run of some
 * benches only writes it to bench/RESULTS-partial.md, so the committed results always cover everything.
 * `npm run bench -- grading --duration 5 --connections 20` passes options to the benchmarks that take them;
 * `--full` runs every bench at its full size rather than the shorter defaults (bench/options.ts).
 */
async function main(): Promise<void> {
  const names = benchNames();
  const unknown = names.filter((name) => !BENCHES[name]);
  if (unknown.length > 0)
    throw new Error(
      `unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`,
    );
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT_DIR, stdio: 'inherit' });
  const started = Date.now();
  const rows: ResultRow[] = [];
  for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
    const benchStarted = Date.now();
    // One bench failing (a timeout on a busy machine) should not lose the figures of the others.
    let failure: string | undefined;
    try {
      rows.push(...(await (BENCHES[name] as Bench)()));
    } catch (err) {
      console.error(err);
      process.exitCode = 1;
      failure = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    }
    rows.push({
      bench: name,
      figure: 'wall time of the bench',
      value: Math.round((Date.now() - benchStarted) / 100) / 10,
      unit: 's',
      ...(failure ? { target: 'runs to the end', met: false, explained: `failed: ${failure}` } : {}),
    });
  }
  const totalMs = Date.now() - started;
  rows.push({
    bench: 'all',
    figure: 'wall time of the run',
    value: Math.round(totalMs / 100) / 10,
    unit: 's',
    reference: 900,
    target: '≤ 15 min on 2 CPUs',
    met: totalMs <= 900_000,
  });
  console.log(`\n${resultsTable(rows)}\n`);
  const file = writeResults(
    names.length > 0 ? 'RESULTS-partial.md' : 'RESULTS.md',
    rows,
    totalMs,
    `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  );
  console.log(`written to ${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
