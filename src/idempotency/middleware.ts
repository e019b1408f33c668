import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Executor } from '../db/transaction';
import { BadRequestError } from '../errors';
import { isPlainObject } from '../validation';
import { differentRequest, runIdempotent } from './context';
import { FORM_FIELD } from './form-key';
import { idempotencyRepository } from './repository';

const KEY = /^[\x21-\x7e]{1,255}$/;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The key of a change: the `Idempotency-Key` header, or a form's hidden `_idempotency` field. */
function keyOf(req: Request): { key: string; from: string } | undefined {
  const header = req.get('idempotency-key');
  if (header !== undefined) return { key: header, from: 'Idempotency-Key' };
  const body: unknown = req.body;
  const field =
    isPlainObject(body) && req.is('application/x-www-form-urlencoded') ? body[FORM_FIELD] : undefined;
  return typeof field === 'string' ? { key: field, from: FORM_FIELD } : undefined;
}

/**
 * The request a key was first used for: method, path and body (a file upload: its type and length). The
 * form's CSRF token and the key itself are not part of what was asked for.
 */
function fingerprintOf(req: Request): string {
  const raw: unknown = req.body;
  const body: unknown =
    raw === undefined
      ? `${req.get('content-type')}:${req.get('content-length')}`
      : isPlainObject(raw)
        ? Object.fromEntries(Object.entries(raw).filter(([name]) => name !== '_csrf' && name !== FORM_FIELD))
        : raw;
  return createHash('sha256')
    .update(`${req.method} ${req.originalUrl.split('?')[0]}\n${JSON.stringify(body)}`)
    .digest('hex');
}

/**
 * Changes sent with an `Idempotency-Key` header, or from a form carrying a key in its hidden
 * `_idempotency` field, can be repeated safely: when the first one committed, a repeat gets its result
 * (with `Idempotent-Replayed: true`) instead of making the change again; when it did not, the repeat makes
 * it. A key is the sender's own and is kept for a day; reused for a different request, it is refused.
 */
export function setUpIdempotency(ex: Executor): RequestHandler {
  return async (req, res, next) => {
    const sent = keyOf(req);
    if (sent === undefined || SAFE.has(req.method) || !req.user) return next();
    const { key, from } = sent;
    if (!KEY.test(key))
      throw new BadRequestError(`The ${from} must be 1 to 255 printable characters.`, [
        { field: from, message: 'must be 1 to 255 printable ASCII characters' },
      ]);
    const fingerprint = fingerprintOf(req);
    const stored = await idempotencyRepository.find(ex, req.user.id, key);
    if (stored && stored.fingerprint !== fingerprint) throw differentRequest();
    const replayed = () => {
      if (!res.headersSent) res.set('Idempotent-Replayed', 'true');
    };
    if (stored) replayed();
    runIdempotent(
      {
        userId: req.user.id,
        key,
        fingerprint,
        ...(stored ? { replay: { result: stored.result } } : {}),
        used: false,
        onReplay: replayed,
      },
      next,
    );
  };
}
