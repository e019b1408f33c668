import type { Request } from 'express';
import type { Actor } from '../activity-log/actor';

/** The audit-log actor for a request: the signed-in user or token, and the request id. */
export function actorOf(req: Request): Actor {
  return {
    kind: req.authMethod === 'token' ? 'token' : 'user',
    userId: req.user?.id ?? null,
    tokenId: req.apiTokenId ?? null,
    requestId: typeof req.id === 'string' ? req.id : null,
  };
}
