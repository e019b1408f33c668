import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { SYSTEM_ACTOR } from '../activity-log/actor';
import { describeProblem, type CheckResult } from '../frameworks/load';
import {
  FORMATS,
  checkFrameworkData,
  exportFramework,
  type FrameworkFormat,
} from '../frameworks/spreadsheet';
import type { CliContext } from './context';

/** Reads a framework file of any supported format (by extension) and checks it. */
export async function checkFrameworkFile(file: string): Promise<CheckResult> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (err) {
    return { ok: false, problems: [{ pointer: '', message: `cannot be read: ${(err as Error).message}` }] };
  }
  return checkFrameworkData(data, file);
}

const shown = (file: string) => path.relative(process.cwd(), file) || file;

export function registerFrameworkCommands(program: Command, ctx: CliContext): void {
  const frameworks = program
    .command('frameworks')
    .description('audit frameworks: check, load, list and export');

  frameworks
    .command('validate')
    .description(
      'check framework files (.json, .csv or .xlsx) without loading them; exits 1 if any has a problem',
    )
    .argument('<files...>', 'framework files')
    .action(async (files: string[]) => {
      let failed = 0;
      for (const file of files) {
        const result = await checkFrameworkFile(file);
        if (result.ok) {
          const { framework } = result;
          const questions = framework.sections.reduce((n, s) => n + s.questions.length, 0);
          ctx.print(
            `${shown(file)}: OK: ${framework.id} ${framework.version}, ${framework.sections.length} sections, ${questions} questions`,
          );
        } else {
          failed += 1;
          for (const problem of result.problems)
            ctx.io.stderr.write(`${describeProblem(shown(file), problem)}\n`);
        }
      }
      if (failed > 0) throw new Error(`${failed} of ${files.length} file(s) have problems`);
    });

  frameworks
    .command('import')
    .description('check a framework file (.json, .csv or .xlsx) and load it as a new version')
    .argument('<file>', 'framework file')
    .action(async (file: string) => {
      const result = await checkFrameworkFile(file);
      if (!result.ok) {
        for (const problem of result.problems)
          ctx.io.stderr.write(`${describeProblem(shown(file), problem)}\n`);
        throw new Error(`${shown(file)} has problems: nothing was loaded`);
      }
      const outcome = await ctx.withServices(async (services) =>
        services.frameworks.load(await readFile(file), path.basename(file), 'cli', SYSTEM_ACTOR),
      );
      const { frameworkId, version } = outcome.version;
      ctx.print(
        outcome.outcome === 'created'
          ? `Loaded ${frameworkId} version ${version}.`
          : `${frameworkId} version ${version} is already loaded with the same content: nothing changed.`,
      );
    });

  frameworks
    .command('list')
    .description('list loaded frameworks and their versions')
    .action(async () => {
      const list = await ctx.withServices((services) => services.frameworks.list());
      if (list.length === 0) return ctx.print('No frameworks are loaded.');
      for (const framework of list) {
        ctx.print(`${framework.id}: ${framework.latest.title}`);
        for (const v of framework.versions) {
          ctx.print(
            `  ${v.version}  loaded ${v.loadedAt.toISOString().slice(0, 10)} from ${v.sourceName ?? v.source}  sha256 ${v.hash.slice(0, 12)}`,
          );
        }
      }
    });

  frameworks
    .command('export')
    .description('write a loaded framework version as JSON, CSV or XLSX (the spreadsheet layout round-trips)')
    .argument('<id>', 'framework id')
    .argument('[version]', 'version (default: the latest)')
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('json'))
    .option('--output <file>', 'file to write (default: standard output, for json and csv)')
    .action(
      async (id: string, version: string | undefined, opts: { format: FrameworkFormat; output?: string }) => {
        if (opts.format === 'xlsx' && !opts.output) throw new Error('--output is required for xlsx');
        const data = await ctx.withServices(async (services) => {
          const stored = version
            ? await services.frameworks.get(id, version)
            : await services.frameworks.getLatest(id);
          return exportFramework(stored.framework, opts.format);
        });
        if (opts.output) {
          await writeFile(opts.output, data);
          ctx.print(`Wrote ${shown(opts.output)}.`);
        } else {
          ctx.io.stdout.write(data);
        }
      },
    );
}
