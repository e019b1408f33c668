import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { mayUse, type Area } from '../auth/access';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { isApiRequest } from './api-request';

function sendToSignIn(req: Request, res: Response, next: NextFunction): void {
  if (isApiRequest(req)) return next(new UnauthenticatedError());
  const returnTo = req.method === 'GET' ? `?returnTo=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(`/sign-in${returnTo}`);
}

export const requireSignIn: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  sendToSignIn(req, res, next);
};

/** Lets the request through only if the user holds one of the roles that may use `area` (src/auth/access.ts). */
export function requireAccess(area: Area): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return sendToSignIn(req, res, next);
    if (!mayUse(req.user.roles, area)) return next(new ForbiddenError());
    next();
  };
}

/** The signed-in user; for handlers mounted behind requireSignIn or requireAccess. */
export function currentUser(req: Request): Express.User {
  if (!req.user) throw new UnauthenticatedError();
  return req.user;
}
