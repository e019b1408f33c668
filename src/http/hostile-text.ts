import type { Request, RequestHandler } from 'express';
import { BadRequestError } from '../errors';

/**
 * Text the service can keep: no NUL (PostgreSQL's text and jsonb refuse U+0000) and no lone surrogate (not
 * Unicode at all, and refused by jsonb once JSON.stringify has escaped it).
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/** The text as it can be shown back in a message: each character that cannot be kept becomes U+FFFD. */
function shown(text: string): string {
  return text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

/** How a path to a value is written: a JSON pointer for JSON, the field's name for forms and queries. */
type JoinPath = (parent: string, key: string) => string;

export const jsonPointer: JoinPath = (parent, key) =>
  `${parent}/${shown(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Forms and query strings are flat: a repeated field is an array, named by the field alone. */
export const fieldName: JoinPath = (parent, key) => (parent === '' ? shown(key) : parent);

/** A key on the way down to a value; the path is written out only for a value refused. */
interface Step {
  parent: Step | undefined;
  key: string;
}

function pathOf(step: Step | undefined, join: JoinPath): string {
  const keys: string[] = [];
  for (let at = step; at; at = at.parent) keys.push(at.key);
  return keys.reduceRight((path, key) => join(path, key), '');
}

/**
 * Where in `value` a string or a key holds text that cannot be kept, or undefined when none does. Walks with
 * a stack of its own, never recursion, so no shape of input can exhaust the call stack; the first problem in
 * document order is the one reported.
 */
export function findUnstorableText(value: unknown, join: JoinPath): string | undefined {
  const stack: [unknown, Step | undefined][] = [[value, undefined]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [item, step] = next;
    if (typeof item === 'string') {
      if (!isStorableText(item)) return pathOf(step, join);
      continue;
    }
    if (typeof item !== 'object' || item === null || Buffer.isBuffer(item)) continue;
    const keys = Object.keys(item);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      const child = { parent: step, key };
      if (!isStorableText(key)) return pathOf(child, join);
      stack.push([(item as Record<string, unknown>)[key], child]);
    }
  }
  return undefined;
}

function refuse(field: string, where: string): BadRequestError {
  return new BadRequestError(
    `${where} contains a character that cannot be accepted: a NUL character (U+0000) or an unpaired surrogate.`,
    [{ field, message: 'must not contain NUL characters or unpaired surrogates' }],
  );
}

/** The path decoded as the router will decode its parameters; undefined when it cannot be decoded. */
function decodedPath(req: Request): string | undefined {
  try {
    return decodeURIComponent(req.path);
  } catch {
    return undefined;
  }
}

/**
 * Refuses, with a 400 naming the field, a request whose path, query or parsed body holds a NUL or a lone
 * surrogate: checked once here, after the body parsers, so that no route passes such text to the database
 * (where it is a 500) or to a page.
 */
export const refuseUnstorableText: RequestHandler = (req, _res, next) => {
  const path = decodedPath(req);
  if (path === undefined || !isStorableText(path)) {
    throw new BadRequestError('The address is not valid: it holds a character that cannot be accepted.', [
      { field: 'path', message: 'must be a valid address' },
    ]);
  }
  const inQuery = findUnstorableText(req.query, fieldName);
  if (inQuery !== undefined) throw refuse(inQuery, `The query parameter ${inQuery}`);
  const form = typeof req.is('application/x-www-form-urlencoded') === 'string';
  const inBody = findUnstorableText(req.body, form ? fieldName : jsonPointer);
  if (inBody !== undefined)
    throw refuse(inBody, form ? `The field ${inBody}` : `The value at ${inBody || 'the top of the body'}`);
  next();
};
