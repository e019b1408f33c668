const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses a lifetime such as `90m`, `12h`, `30d` or `8w` into milliseconds, or returns undefined. */
export function parseDuration(text: string): number | undefined {
  const match = /^([1-9][0-9]{0,4})([mhdw])$/.exec(text.trim());
  if (!match) return undefined;
  const [, amount, unit] = match;
  return Number(amount) * (UNITS[unit as string] as number);
}
