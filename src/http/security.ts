import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';

function nonceOf(_req: IncomingMessage, res: ServerResponse): string {
  return `'nonce-${(res as ServerResponse & { locals: { cspNonce: string } }).locals.cspNonce}'`;
}

/**
 * Security headers with a strict Content Security Policy: scripts only from this origin or with the
 * per-response nonce (no 'unsafe-inline'), no framing, forms posting only to this origin.
 */
export function setUpSecurityHeaders(config: Config): RequestHandler[] {
  const production = config.env === 'production';
  return [
    (_req, res, next) => {
      res.locals.cspNonce = randomBytes(16).toString('base64url');
      next();
    },
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", nonceOf],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          ...(production ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      referrerPolicy: { policy: 'same-origin' },
      // HSTS on localhost would break other local development sites.
      strictTransportSecurity: production ? { maxAge: 31536000, includeSubDomains: true } : false,
    }),
  ];
}

export function setUpBodyParsers(config: Config): RequestHandler[] {
  return [
    express.json({ limit: config.bodyLimit, type: ['application/json', 'application/*+json'] }),
    express.urlencoded({ extended: false, limit: config.bodyLimit, parameterLimit: 1000 }),
  ];
}
