import type { Request } from 'express';

/** API requests get JSON problem details; everything else gets HTML pages. */
export function isApiRequest(req: Request): boolean {
  return (
    req.originalUrl === '/api' || req.originalUrl.startsWith('/api/') || req.originalUrl.startsWith('/api?')
  );
}

/** An API request with an Authorization header: it acts as its bearer token's user alone, never a session's. */
export function carriesBearerToken(req: Request): boolean {
  return req.headers.authorization !== undefined && isApiRequest(req);
}
