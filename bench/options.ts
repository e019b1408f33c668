/**
 * The benchmarks' command line, read in one place: the names of the benchmarks to run, `--full` (every
 * bench at its full size, rather than the shorter defaults that keep a whole run under 15 minutes on 2
 * CPUs) and the options that take a number (`--duration 5`, `--connections=20`, `--users 50`).
 */

/** The options that take a value, as the next argument or after `=`. */
const VALUE_OPTIONS = ['--duration', '--connections', '--users'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

const args = process.argv.slice(2);

/** Whether the run measures at the full sizes (`--full`). */
export const fullRun = args.includes('--full');

/** The full size with `--full`, else the shorter default. */
export const sized = <T>(full: T, short: T): T => (fullRun ? full : short);

/** The arguments that are not options nor an option's value: the names of the benchmarks to run. */
export function benchNames(): string[] {
  return args.filter((arg, i) => {
    if (arg.startsWith('--')) return false;
    const previous = args[i - 1];
    return !(previous && (VALUE_OPTIONS as readonly string[]).includes(previous));
  });
}

/**
 * The number given to `flag`, or undefined when it is not on the command line; throws (when the bench
 * that reads it runs) unless it is positive, and whole where `whole`.
 */
export function numberOption(flag: ValueOption, whole = true): number | undefined {
  const i = args.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
  if (i < 0) return undefined;
  const arg = args[i] as string;
  const value = Number(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[i + 1]);
  if (!(value > 0) || (whole && !Number.isInteger(value)))
    throw new Error(`${flag} must be ${whole ? 'a positive whole number' : 'a positive number of seconds'}`);
  return value;
}
