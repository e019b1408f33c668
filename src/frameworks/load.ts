import { contentHash } from './canonical-json';
import { checkAgainstMetaSchema } from './meta-schema';
import { normalise } from './normalise';
import { parseJson } from './parse-json';
import { checkSemantics } from './semantics';
import type { Framework, FrameworkProblem } from './types';

export type CheckResult =
  { ok: true; framework: Framework; hash: string } | { ok: false; problems: FrameworkProblem[] };

const MOST_PROBLEMS = 200;

function limited(problems: FrameworkProblem[]): FrameworkProblem[] {
  if (problems.length <= MOST_PROBLEMS) return problems;
  return [
    ...problems.slice(0, MOST_PROBLEMS),
    { pointer: '', message: `and ${problems.length - MOST_PROBLEMS} more problems not listed` },
  ];
}

/**
 * Checks any value as a framework: the meta-schema first, then the semantic checks, then normalises it and
 * hashes the result. Never throws for bad input: every problem comes back in the result.
 */
export function checkFramework(value: unknown): CheckResult {
  const schema = checkAgainstMetaSchema(value);
  if (!schema.ok) return { ok: false, problems: limited(schema.problems) };
  const problems = checkSemantics(schema.document);
  if (problems.length > 0) return { ok: false, problems: limited(problems) };
  const framework = normalise(schema.document);
  return { ok: true, framework, hash: contentHash(framework) };
}

/** As checkFramework, from JSON text. */
export function checkFrameworkJson(text: string): CheckResult {
  const parsed = parseJson(text);
  return parsed.ok ? checkFramework(parsed.value) : { ok: false, problems: parsed.problems };
}

/** One line per problem: `file: /json/pointer: what is wrong`. */
export function describeProblem(file: string, problem: FrameworkProblem): string {
  return `${file}: ${problem.pointer || '/'}: ${problem.message}`;
}
