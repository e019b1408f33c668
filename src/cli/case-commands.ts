import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import { SYSTEM_ACTOR } from '../activity-log/actor';
import type { ImportFormat } from '../cases/types';
import type { CliContext } from './context';

/** Counts bytes as they pass, for the progress bar. */
function counter(onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      onBytes(total);
      callback(null, chunk);
    },
  });
}

export function registerCaseCommands(program: Command, ctx: CliContext): void {
  const cases = program.command('cases').description('case lists: import a population snapshot');

  cases
    .command('import')
    .description('import a case list: the native CSV, or Ofsted Annex A (XLSX workbook, or one list per CSV)')
    .argument('<file>', 'case list file (.csv or .xlsx)')
    .addOption(
      new Option('--format <format>', 'force the format (default: detected from the headers)').choices([
        'native',
        'annex-a',
      ]),
    )
    .option(
      '--skip-invalid',
      'import the good rows and report the others (default: any problem refuses the file)',
    )
    .option('--create-teams', 'add teams the list names that are not yet known (default: a problem)')
    .option(
      '--mapping <file.json|name>',
      'read the columns with this column mapping: a JSON file, or a saved mapping\'s name (given a "name", it is saved)',
    )
    .option('--no-progress', 'no progress bar')
    .action(
      async (
        file: string,
        opts: {
          format?: ImportFormat;
          skipInvalid?: boolean;
          createTeams?: boolean;
          mapping?: string;
          progress: boolean;
        },
      ) => {
        const mappingText =
          opts.mapping && /\.json$/i.test(opts.mapping) ? await readFile(opts.mapping, 'utf8') : opts.mapping;
        const size = (await stat(file)).size;
        const bar = opts.progress
          ? new cliProgress.SingleBar(
              {
                stream: ctx.io.stderr,
                format: 'Reading {bar} {percentage}% | {rows} rows',
                hideCursor: true,
                noTTYOutput: false,
                fps: 5,
              },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
        let rows = 0;
        bar?.start(size, 0, { rows: 0 });
        const outcome = await ctx.withServices(async (services) =>
          services.cases.importCases(
            {
              stream: createReadStream(file).pipe(counter((bytes) => bar?.update(bytes, { rows }))),
              kind: /\.xlsx$/i.test(file) ? 'xlsx' : 'csv',
              name: path.basename(file),
            },
            {
              ...(opts.format ? { format: opts.format } : {}),
              mode: opts.skipInvalid ? 'skip-invalid' : 'all-or-nothing',
              unknownTeams: opts.createTeams ? 'create' : 'reject',
              sourceName: path.basename(file),
              ...(mappingText ? { mappings: [await services.cases.resolveMapping(mappingText)] } : {}),
            },
            SYSTEM_ACTOR,
            (progress) => {
              rows = progress.rowsRead;
              bar?.update({ rows });
            },
          ),
        );
        bar?.update(size, { rows: outcome.rowsRead });
        bar?.stop();
        for (const p of outcome.problems.slice(0, 20)) {
          ctx.io.stderr.write(
            `${p.sheet ?? ''}${p.line ? ` line ${p.line}` : ''}${p.column ? `, ${p.column}` : ''}${p.value ? ` "${p.value}"` : ''}: ${p.reason}\n`,
          );
        }
        if (outcome.problemCount > 20)
          ctx.io.stderr.write(
            `…and ${outcome.problemCount - 20} more problems (see case import ${outcome.id}).\n`,
          );
        for (const note of outcome.notes) ctx.io.stderr.write(`${note}\n`);
        for (const need of outcome.mappingNeeded ?? []) {
          const missing = need.missing.length ? `; no column for ${need.missing.join(', ')}` : '';
          ctx.io.stderr.write(
            `Sheet ${need.sheet} needs a column mapping${missing}. Suggested (--mapping):\n`,
          );
          ctx.io.stderr.write(`${JSON.stringify(need.suggestion, null, 2)}\n`);
          for (const u of need.unknownValues)
            ctx.io.stderr.write(
              `${u.header}: unknown values ${u.values.join(', ')}; allowed: ${u.allowed.join(', ')}\n`,
            );
        }
        if (outcome.status === 'refused') {
          throw new Error(
            `the case list was refused (import ${outcome.id}): ${outcome.problemCount} problem(s), nothing imported`,
          );
        }
        ctx.print(
          `Import ${outcome.id}: ${outcome.casesImported} cases from ${outcome.rowsRead} rows${outcome.rowsRejected ? `, ${outcome.rowsRejected} rows left out` : ''}${outcome.teamsCreated.length ? `; teams added: ${outcome.teamsCreated.join(', ')}` : ''}.`,
        );
      },
    );
}
