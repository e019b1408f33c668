import type { Request } from 'express';
import { NotFoundError } from '../errors';

/** A positive whole number written plainly ("12", not "012", "1e3" or "12abc"), or undefined. */
export function positiveInt(value: unknown): number | undefined {
  const n = Number(value);
  return typeof value === 'string' && /^[1-9][0-9]*$/.test(value) && Number.isSafeInteger(n) ? n : undefined;
}

/** A route's numeric id parameter; anything else is a 404, as no such record can exist. */
export function idParam(req: Request, name = 'id'): number {
  const id = positiveInt(req.params[name]);
  if (id === undefined) throw new NotFoundError();
  return id;
}
