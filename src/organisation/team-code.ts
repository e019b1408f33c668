/**
 * A short stable code for a new team, made from its name: lower case words joined by hyphens, with a
 * number added when another team has it ("assessment-north-2"). Codes never change when a team is renamed.
 */
export function codeFor(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50)
      .replace(/-+$/, '') || 'team';
  let code = base;
  for (let n = 2; taken.has(code); n++) code = `${base}-${n}`;
  return code;
}
