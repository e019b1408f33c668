import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';
import { refuseUnstorableText } from './hostile-text';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

function nonceOf(_req: IncomingMessage, res: ServerResponse): string {
  return `'nonce-${(res as ServerResponse & { locals: { cspNonce: string } }).locals.cspNonce}'`;
}

/** Browser features no page uses, turned off for this origin and anything it could embed. */
const PERMISSIONS_POLICY = [
  'accelerometer',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'magnetometer',
  'microphone',
  'payment',
  'usb',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * Security headers with a strict Content Security Policy: scripts only from this origin or with the
 * per-response nonce (no 'unsafe-inline'), no framing, forms posting only to this origin.
 */
export function setUpSecurityHeaders(config: Config): RequestHandler[] {
  const production = config.env === 'production';
  // Signing out of single sign-on sends the sign-out form on to the identity provider, which browsers
  // check against form-action.
  const identityProvider = config.saml
    ? [config.saml.idp.ssoUrl, config.saml.idp.sloUrl].flatMap((url) => (url ? [new URL(url).origin] : []))
    : [];
  return [
    (_req, res, next) => {
      res.locals.cspNonce = randomBytes(16).toString('base64url');
      // No page of the service needs the camera, microphone, location, payment or other device features.
      res.set('Permissions-Policy', PERMISSIONS_POLICY);
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
          formAction: ["'self'", ...new Set(identityProvider)],
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

/** An error for the error handler to answer, marked with its kind as body-parser marks its own. */
function bodyProblem(type: string, message: string): Error {
  return Object.assign(new Error(message), { type });
}

/**
 * Runs on a JSON body's bytes before it is parsed: JSON is exchanged as UTF-8 (RFC 8259), and a body nested
 * deeper than MAX_JSON_DEPTH is refused before anything recurses over it.
 */
function checkJsonBytes(_req: IncomingMessage, _res: ServerResponse, bytes: Buffer, encoding: string): void {
  if (encoding !== 'utf-8') throw bodyProblem('charset.unsupported', 'JSON must be sent as UTF-8.');
  if (nestsDeeperThan(bytes, MAX_JSON_DEPTH))
    throw bodyProblem('entity.too.deep', `The JSON is nested more than ${MAX_JSON_DEPTH} levels deep.`);
}

/**
 * JSON and urlencoded form bodies up to the configured limit; forms are flat (no nested `a[b]` fields).
 * Then one check of the path, query and body for text the service cannot keep.
 */
export function setUpBodyParsers(config: Config): RequestHandler[] {
  return [
    express.json({
      limit: config.bodyLimit,
      type: ['application/json', 'application/*+json'],
      verify: checkJsonBytes,
    }),
    express.urlencoded({ extended: false, limit: config.bodyLimit, parameterLimit: 1000 }),
    refuseUnstorableText,
  ];
}
