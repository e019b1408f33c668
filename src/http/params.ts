import type { Request } from 'express';
import { BadRequestError, NotFoundError } from '../errors';

/** The largest id a record can have: ids are PostgreSQL `integer`s. */
export const MAX_ID = 2_147_483_647;

/** A whole number written plainly ("12", "-3"; not "012", "1e3", "12abc" or " 12"), within bounds. */
export function plainInt(value: unknown, min: number, max: number): number | undefined {
  if (typeof value !== 'string' || !/^-?(0|[1-9][0-9]{0,15})$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

/** A record id written plainly, or undefined: no record can have any other. */
export function parseId(value: unknown): number | undefined {
  return plainInt(value, 1, MAX_ID);
}

/** A route's id parameter; anything else is a 404, as no such record can exist. */
export function idParam(req: Request, name = 'id'): number {
  const id = parseId(req.params[name]);
  if (id === undefined) throw new NotFoundError();
  return id;
}

/** A query parameter sent once, as text; undefined when absent or blank. */
function queryText(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string')
    throw new BadRequestError(`Send ${name} once, as a single value.`, [
      { field: name, message: 'must be a single value' },
    ]);
  return value;
}

/** A whole-number query parameter within bounds; absent gives undefined, anything else not in range a 400. */
export function queryInt(req: Request, name: string, min: number, max: number): number | undefined {
  const text = queryText(req, name);
  if (text === undefined) return undefined;
  const n = plainInt(text, min, max);
  if (n === undefined)
    throw new BadRequestError(`${name} must be a whole number from ${min} to ${max}.`, [
      { field: name, message: `must be a whole number from ${min} to ${max}` },
    ]);
  return n;
}

/** A query parameter naming a record by id: absent gives undefined, anything that cannot be an id a 400. */
export function queryId(req: Request, name: string): number | undefined {
  return queryInt(req, name, 1, MAX_ID);
}

/** The page of a paged list: 1 when absent. */
export function queryPage(req: Request): number {
  return queryInt(req, 'page', 1, 1_000_000) ?? 1;
}

/** A query parameter that must be one of a few words: absent gives undefined, anything else a 400. */
export function queryChoice<T extends string>(
  req: Request,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const text = queryText(req, name);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text))
    throw new BadRequestError(`${name} must be one of ${allowed.join(', ')}.`, [
      { field: name, message: `must be one of ${allowed.join(', ')}` },
    ]);
  return text as T;
}

/** A free-text query parameter, at most `max` characters: absent gives undefined. */
export function queryString(req: Request, name: string, max = 200): string | undefined {
  const text = queryText(req, name);
  if (text !== undefined && text.length > max)
    throw new BadRequestError(`${name} is longer than ${max} characters.`, [
      { field: name, message: `must be at most ${max} characters` },
    ]);
  return text;
}
