import type { Request } from 'express';

/** API requests get JSON problem details; everything else gets HTML pages. */
export function isApiRequest(req: Request): boolean {
  return (
    req.originalUrl === '/api' || req.originalUrl.startsWith('/api/') || req.originalUrl.startsWith('/api?')
  );
}
