import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import { FRAMEWORKS_DIR } from '../paths';
import type { FrameworkDocument, FrameworkProblem } from './types';

export const META_SCHEMA_FILE = path.join(FRAMEWORKS_DIR, 'framework.schema.json');
export const metaSchema = JSON.parse(readFileSync(META_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

// Messages come from problemOf (every keyword the meta-schema uses has one), and the meta-schema is checked
// against JSON Schema 2020-12 by a test: skipping both, and code optimisation, halves start-up compile time.
const ajv = new Ajv2020({
  allErrors: true,
  strict: true,
  allowUnionTypes: true,
  validateSchema: false,
  messages: false,
  code: { optimize: false },
});
const validateDocument = ajv.compile<FrameworkDocument>(metaSchema);

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

const PATTERN_WORDS: Record<string, string> = {
  '^[a-z0-9]+(-[a-z0-9]+)*$':
    'must be a lower-case id of letters, digits and hyphens, such as risk-and-safety',
  '\\S': 'must not be blank',
  '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$': 'must be a version number such as 1.0.0',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': 'must be a date written YYYY-MM-DD, such as 2026-04-01',
};

/** A condition is told apart by its one key; an object with none of them fails the last branch, "not". */
const NO_CONDITION_KIND = '#/$defs/notCondition/required';

function problemOf(error: ErrorObject): FrameworkProblem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      if (error.schemaPath === NO_CONDITION_KIND)
        return {
          pointer: error.instancePath,
          message: 'a condition must have one of question, case, all, any or not',
        };
      return { pointer: `${error.instancePath}/${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return {
        pointer: `${error.instancePath}/${String(params.additionalProperty ?? params.unevaluatedProperty)}`,
        message: 'is not a field allowed here (check its spelling)',
      };
    case 'type': {
      const words = String(params.type)
        .split(',')
        .map((type) => TYPE_WORDS[type] ?? type);
      const last = words.pop() as string;
      return {
        pointer: error.instancePath,
        message: `must be ${words.length > 0 ? `${words.join(', ')}, or ${last}` : last}`,
      };
    }
    case 'enum':
      return {
        pointer: error.instancePath,
        message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`,
      };
    case 'pattern':
      return {
        pointer: error.instancePath,
        message: PATTERN_WORDS[String(params.pattern)] ?? 'is not in the right form',
      };
    case 'maxLength':
      return { pointer: error.instancePath, message: `must be at most ${String(params.limit)} characters` };
    case 'minItems':
      return { pointer: error.instancePath, message: `must have at least ${String(params.limit)} item(s)` };
    case 'uniqueItems':
      return {
        pointer: error.instancePath,
        message: `must not repeat itself (items ${String(params.j)} and ${String(params.i)} are the same)`,
      };
    case 'minimum':
      return { pointer: error.instancePath, message: `must be at least ${String(params.limit)}` };
    case 'maximum':
      return { pointer: error.instancePath, message: `must be at most ${String(params.limit)}` };
    case 'propertyNames':
      return {
        pointer: `${error.instancePath}/${String(params.propertyName)}`,
        message: 'must be a grade code: lower-case letters, digits and hyphens',
      };
    default:
      return { pointer: error.instancePath, message: error.message ?? 'is not valid' };
  }
}

/** Checks a parsed document against the meta-schema, reporting each problem once in plain words. */
export function checkAgainstMetaSchema(
  value: unknown,
): { ok: true; document: FrameworkDocument } | { ok: false; problems: FrameworkProblem[] } {
  if (validateDocument(value)) return { ok: true, document: value };
  const seen = new Set<string>();
  const problems: FrameworkProblem[] = [];
  for (const error of validateDocument.errors ?? []) {
    // propertyNames reports the name's own pattern error too; the propertyNames problem says it better.
    if (error.propertyName !== undefined) continue;
    // A condition's if / then / else says "must match then schema"; the branch's own errors say what is wrong.
    if (error.keyword === 'if') continue;
    const problem = problemOf(error);
    const key = `${problem.pointer}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return { ok: false, problems };
}
