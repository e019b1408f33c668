import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The fuzz files each count their cases; the run adds them up, so one line at the end says how many cases
 * the whole fuzz suite tried. Test files run in worker processes, which inherit the tally file's name from
 * the run's global setup.
 */

const VARIABLE = 'CASE_AUDIT_FUZZ_TALLY';

export interface FuzzCount {
  file: string;
  cases: number;
  serverErrors: number;
}

/** Called by global setup: a fresh tally for this run. */
export function startFuzzTally(): void {
  process.env[VARIABLE] = path.join(tmpdir(), `case-audit-fuzz-${process.pid}-${Date.now()}.jsonl`);
}

/** Called by each fuzz file when it has finished: adds its count to the run's. */
export function countFuzzCases(count: FuzzCount): void {
  const file = process.env[VARIABLE];
  if (file) appendFileSync(file, `${JSON.stringify(count)}\n`);
}

/** Called by global teardown: the total across the fuzz files that ran, printed once. */
export function printFuzzTally(): void {
  const file = process.env[VARIABLE];
  if (!file) return;
  let lines: FuzzCount[];
  try {
    lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as FuzzCount);
  } catch {
    return;
  }
  rmSync(file, { force: true });
  const cases = lines.reduce((sum, l) => sum + l.cases, 0);
  const errors = lines.reduce((sum, l) => sum + l.serverErrors, 0);
  console.log(
    `fuzz suite: ${cases.toLocaleString('en-GB')} cases in ${lines.length} file${lines.length === 1 ? '' : 's'}, ${errors} answered 5xx`,
  );
}
