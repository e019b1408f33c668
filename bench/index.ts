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

const BENCHES: Record<string, () => Promise<void>> = {
  startup: benchStartup,
  memory: benchMemory,
  frameworks: benchFrameworks,
  import: benchImport,
  sampling: benchSampling,
  grading: benchGrading,
  remediation: benchRemediation,
  pack: benchPack,
  summary: benchSummary,
};

/**
 * Runs the benchmarks named on the command line (default: all) against a fresh build, printing figures.
 * `npm run bench -- grading --duration 5 --connections 20` passes options to the benchmarks that take them.
 */
async function main(): Promise<void> {
  // Options (`--duration 5`, `--connections=20`) are for the benchmarks that take them: not names.
  const names = process.argv
    .slice(2)
    .filter(
      (arg, i, all) => !arg.startsWith('--') && !(all[i - 1]?.startsWith('--') && !all[i - 1]?.includes('=')),
    );
  const unknown = names.filter((name) => !BENCHES[name]);
  if (unknown.length > 0)
    throw new Error(
      `unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`,
    );
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT_DIR, stdio: 'inherit' });
  for (const name of names.length > 0 ? names : Object.keys(BENCHES))
    await (BENCHES[name] as () => Promise<void>)();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
