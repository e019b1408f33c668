import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { londonDate } from '../src/dates';
import { ROOT_DIR } from '../src/paths';
import type { PackRuns, Timing } from './pack-worker';
import { loadReportData, YEAR_OF_AUDITS } from './report-data';
import { sized } from './options';
import { rowsOf, type ResultRow } from './results';
import { benchServices, median, seconds } from './support';

/**
 * The monthly board pack over a year of data (bench/report-data.ts: 30 teams, 1,500 submitted audits of a
 * framework of 12 sections, a share moderated, 100 remediation records with 400 actions): last month's pack
 * of the whole service, made as the director makes it, in a process of its own (the compiled service, as
 * it runs), after a warm-up: end to end (the figures read, laid out and rendered with pdfkit) and the PDF
 * rendering alone, the median of RUNS runs (5 with --full, else 3), its pages (pdfinfo) and the process's peak RSS. The reference,
 * in the same run: the pack's HTML twin printed to PDF by headless Chromium, as many times, median.
 */

/** Runs of each, after the warm-ups: 5 with --full. */
const RUNS = sized(5, 3);
const WARMUPS = 1;
/** The targets: the pack made in under 1.5 s and 300 MB, at least ten times faster than Chromium. */
const TARGET = { ms: 1500, rssMb: 300, ratio: 10 } as const;

/** The system Chromium, where the browser tests look for it. */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (candidate) => candidate && existsSync(candidate),
);

const pagesOf = (file: string) =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);

let clockTicks: number | undefined;

/** CPU milliseconds used by the child processes this one has waited for, and theirs (from /proc). */
function childrenCpuMs(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime, fields 16 and 17 of stat(5), counted here from field 3 (the state).
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks;
}

/** Headless Chromium printing the HTML file to PDF, from its start to its exit, and the CPU of all its processes. */
function chromiumPrint(html: string, pdf: string): Timing {
  const started = performance.now();
  const cpu = childrenCpuMs();
  const run = spawnSync(
    CHROMIUM as string,
    ['--headless', '--no-sandbox', '--disable-gpu', `--print-to-pdf=${pdf}`, `file://${html}`],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const timing = { ms: performance.now() - started, cpuMs: childrenCpuMs() - cpu };
  if (run.status !== 0 || !existsSync(pdf)) throw new Error(`Chromium did not print the pack: ${run.stderr}`);
  return timing;
}

export async function benchPack(): Promise<ResultRow[]> {
  if (!CHROMIUM)
    throw new Error('No Chromium found: install the Debian package chromium or set CHROMIUM_PATH.');
  const bench = await benchServices();
  const directory = mkdtempSync(path.join(os.tmpdir(), 'case-audit-bench-pack-'));
  try {
    const built = performance.now();
    const shape = await loadReportData(bench.knex, YEAR_OF_AUDITS, londonDate());
    const buildMs = performance.now() - built;

    // The compiled worker (npm run bench builds first), as the service runs it.
    const worker = spawnSync(
      process.execPath,
      [
        path.join(ROOT_DIR, 'dist/bench/pack-worker.js'),
        bench.db.url,
        shape.month,
        String(RUNS),
        String(WARMUPS),
        directory,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (worker.status !== 0) throw new Error(worker.stderr);
    const pack = JSON.parse(worker.stdout.trim().split('\n').pop() as string) as PackRuns;
    const pdfFile = path.join(directory, 'pack.pdf');
    const htmlFile = path.join(directory, 'pack.html');
    const printed = path.join(directory, 'chromium.pdf');
    const chromium: Timing[] = [];
    for (let i = 0; i < WARMUPS + RUNS; i++) {
      rmSync(printed, { force: true });
      const timing = chromiumPrint(htmlFile, printed);
      if (i >= WARMUPS) chromium.push(timing);
    }

    const wall = (timings: Timing[]) => median(timings.map((t) => t.ms));
    const cpu = (timings: Timing[]) => median(timings.map((t) => t.cpuMs));
    const pages = pagesOf(pdfFile);
    const kb = (file: string) => `${Math.round(statSync(file).size / 1024)} KB`;
    const version = execFileSync(CHROMIUM, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    console.log(
      `\nBoard pack (Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)}, PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'}; data built in ${seconds(buildMs)}): ` +
        `${shape.month}'s pack of the whole service over ${shape.rounds} months of ${shape.teams} teams: ` +
        `${shape.submitted.toLocaleString('en-GB')} audits submitted (${shape.notSubmitted} not), ${shape.moderated} moderated, ` +
        `${shape.records} remediation records (${shape.recordsOpen} open) with ${shape.actions} actions ` +
        `(${Object.entries(shape.actionsByStatus)
          .map(([status, n]) => `${n} ${status.replace('_', ' ')}`)
          .join(', ')})`,
    );
    console.log(
      `  pdfkit: ${pages} pages (${pack.pages} counted by the service), ${kb(pdfFile)}; its HTML twin ${kb(htmlFile)}, ` +
        `printed by ${version}: ${pagesOf(printed)} pages, ${kb(printed)}. Medians of ${RUNS} runs after ${WARMUPS} warm-up; ` +
        `CPU is the Node process's (PostgreSQL's not counted) and all of Chromium's processes'`,
    );
    const header = ['figure', 'value', 'reference', 'ratio', 'target', 'met'];
    const widths = [58, 9, 46, 8, 18, 3];
    const line = (cells: string[]) =>
      console.log(
        `  ${cells.map((cell, i) => (i === 0 || i === 2 || i === 4 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ')}`,
      );
    const met = (ok: boolean) => (ok ? 'yes' : 'NO');
    const ratio = (reference: number, value: number) => `${(reference / value).toFixed(1)}x`;
    const ref = (kind: string, value: number) => `chromium --print-to-pdf, ${kind}: ${seconds(value)}`;
    line(header);
    for (const [kind, of] of [
      ['time', wall],
      ['CPU', cpu],
    ] as const) {
      const [whole, alone, reference] = [of(pack.endToEnd), of(pack.render), of(chromium)];
      const timeTargets = kind === 'time';
      line([
        `pack end to end (figures read, laid out, rendered), ${kind}`,
        seconds(whole),
        ref(kind, reference),
        ratio(reference, whole),
        timeTargets ? `< ${seconds(TARGET.ms)}, ${TARGET.ratio}x` : '',
        timeTargets ? met(whole < TARGET.ms && reference / whole >= TARGET.ratio) : '',
      ]);
      line([
        `PDF rendering alone (renderPdf), ${kind}`,
        seconds(alone),
        ref(kind, reference),
        ratio(reference, alone),
        timeTargets ? `${TARGET.ratio}x` : '',
        timeTargets ? met(reference / alone >= TARGET.ratio) : '',
      ]);
    }
    line([
      'first pack of a new process, end to end: time, CPU',
      seconds(pack.first.ms),
      `CPU ${seconds(pack.first.cpuMs)}`,
      '',
      '',
      '',
    ]);
    line([
      `peak RSS of the process making it (${WARMUPS + RUNS} times)`,
      `${pack.maxRssMb.toFixed(0)} MB`,
      '',
      '',
      `< ${TARGET.rssMb} MB`,
      met(pack.maxRssMb < TARGET.rssMb),
    ]);

    const figure = rowsOf('pack');
    const faster = `≥ ${TARGET.ratio}× faster than Chromium`;
    const rows: ResultRow[] = [];
    for (const [kind, of] of [
      ['time', wall],
      ['CPU', cpu],
    ] as const) {
      const [whole, alone, reference] = [of(pack.endToEnd), of(pack.render), of(chromium)].map(
        (ms) => ms / 1000,
      ) as [number, number, number];
      const timeTargets = kind === 'time';
      rows.push(
        figure(`pack end to end, ${kind}, median of ${RUNS} (ratio: × faster)`, whole, 's', {
          reference,
          ratio: reference / whole,
          ...(timeTargets
            ? {
                target: `< ${seconds(TARGET.ms)}, ${faster}`,
                met: whole * 1000 < TARGET.ms && reference / whole >= TARGET.ratio,
              }
            : {}),
        }),
        figure(`PDF rendering alone, ${kind}, median of ${RUNS} (ratio: × faster)`, alone, 's', {
          reference,
          ratio: reference / alone,
          ...(timeTargets ? { target: faster, met: reference / alone >= TARGET.ratio } : {}),
        }),
      );
    }
    rows.push(
      figure('first pack of a new process, end to end', pack.first.ms / 1000, 's'),
      figure(`peak RSS of the process making it ${WARMUPS + RUNS} times`, pack.maxRssMb, 'MB', {
        target: `< ${TARGET.rssMb} MB`,
        met: pack.maxRssMb < TARGET.rssMb,
      }),
      figure('pages (pdfkit)', pages, ''),
    );
    return rows;
  } finally {
    rmSync(directory, { recursive: true, force: true });
    await bench.close();
  }
}
