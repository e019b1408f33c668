import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** The hidden form field that carries a final action's idempotency key. */
export const FORM_FIELD = '_idempotency';

/** A fresh key, for one rendering of a form (the `idempotencyKey` template helper). */
export const newFormKey = (): string => randomUUID();

/**
 * Marks a route as a final action (submit, outcome, reopen, create): its form carries a fresh key in the
 * hidden `_idempotency` field (the `idempotency-key` partial), so that the same form posted twice, by a
 * double click or Back and submit, is answered with what the first post did. It changes nothing itself:
 * the key is read by `setUpIdempotency` with the rest of the request, and tests find these routes by it.
 */
export const finalAction: RequestHandler = function finalAction(_req, _res, next) {
  next();
};
