import { Command, CommanderError } from 'commander';
import { AppError } from '../errors';
import { registerCaseCommands } from './case-commands';
import { registerCommands } from './commands';
import { registerFrameworkCommands } from './framework-commands';
import { createCliContext, type CliIo } from './context';

/** Runs one CLI command and returns its exit code: 0 on success, 1 on any error (with a message on stderr). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = createCliContext(io);
  const program = new Command('case-audit')
    .description('Case Audit command line: database, demo data, users and API tokens')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)');
  registerCommands(program, ctx);
  registerFrameworkCommands(program, ctx);
  registerCaseCommands(program, ctx);
  for (const command of program.commands) command.exitOverride();

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    if (err instanceof AppError) {
      io.stderr.write(`Error: ${err.message}\n`);
      for (const fieldError of err.fieldErrors)
        io.stderr.write(`  ${fieldError.field}: ${fieldError.message}\n`);
      return 1;
    }
    io.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
