import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Executor } from '../db/transaction';
import { BadRequestError, ValidationError } from '../errors';
import { runIdempotent } from './context';
import { idempotencyRepository } from './repository';

const KEY = /^[\x21-\x7e]{1,255}$/;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request a key was first used for: method, path and body (a file upload: its type and length). */
function fingerprintOf(req: Parameters<RequestHandler>[0]): string {
  const body: unknown =
    req.body === undefined ? `${req.get('content-type')}:${req.get('content-length')}` : req.body;
  return createHash('sha256')
    .update(`${req.method} ${req.originalUrl.split('?')[0]}\n${JSON.stringify(body)}`)
    .digest('hex');
}

/**
 * Changes sent with an `Idempotency-Key` header can be repeated safely: when the first one committed, a
 * repeat gets its result (with `Idempotent-Replayed: true`) instead of making the change again; when it did
 * not, the repeat makes it. A key is the sender's own and is kept for a day; reused for a different
 * request, it is refused.
 */
export function setUpIdempotency(ex: Executor): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (key === undefined || SAFE.has(req.method) || !req.user) return next();
    if (!KEY.test(key))
      throw new BadRequestError('The Idempotency-Key header must be 1 to 255 printable characters.', [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
      ]);
    const fingerprint = fingerprintOf(req);
    const stored = await idempotencyRepository.find(ex, req.user.id, key);
    if (stored && stored.fingerprint !== fingerprint)
      throw new ValidationError('This Idempotency-Key was used for a different request.', [
        { field: 'Idempotency-Key', message: 'was used for a different request: send a new key' },
      ]);
    if (stored) res.set('Idempotent-Replayed', 'true');
    runIdempotent(
      {
        userId: req.user.id,
        key,
        fingerprint,
        ...(stored ? { replay: { result: stored.result } } : {}),
        used: false,
      },
      next,
    );
  };
}
