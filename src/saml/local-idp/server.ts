import { inflateRawSync } from 'node:zlib';
import express, { type Express } from 'express';
import { escapeHtml } from '../../reporting/pdf/escape';
import type { DirectoryPerson } from '../../demo/single-sign-on';
import { ENTRA } from '../mapping';
import { redirectLogoutRequest } from './logout';
import { newId, samlResponse, type SigningKey } from './response';

/**
 * A local identity provider for trying single sign-on without a tenant, and for the browser test: it
 * receives the service's sign-in request (HTTP-Redirect), lets you choose who you are from a directory,
 * and posts back a response signed as Entra signs one (response and assertion, RSA-SHA-256) with Entra's
 * claims. It remembers who it signed in, and at /saml2/logout ends one of those sessions everywhere as
 * Entra or ADFS would: the browser takes a signed sign-out request to the service (HTTP-Redirect). For
 * loopback use only: anyone who reaches it can be anyone in its directory.
 */
export interface LocalIdpOptions {
  entityId: string;
  signingKey: SigningKey;
  /** The service provider's entity id (the audience) and where its responses go. */
  audience: string;
  callbackUrl: string;
  /** The service provider's sign-out address, for single logout started here (none: not offered). */
  logoutUrl?: string;
  directory: readonly DirectoryPerson[];
}

const page = (title: string, body: string) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
button{font:inherit;padding:.4rem 1rem;margin:.2rem 0}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

/** The id of a deflated, base64 sign-in request (HTTP-Redirect binding). */
function requestIdOf(encoded: unknown): string | undefined {
  if (typeof encoded !== 'string') return undefined;
  try {
    const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
    return /\sID="([^"<>&]{1,200})"/.exec(xml)?.[1];
  } catch {
    return undefined;
  }
}

export function createLocalIdp(options: LocalIdpOptions): Express {
  const app = express();
  /** The sessions it began, by SessionIndex: whom each signed in. */
  const sessions = new Map<string, DirectoryPerson>();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use((_req, res, next) => {
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action *");
    next();
  });

  app.get('/saml2', (req, res) => {
    const requestId = requestIdOf(req.query.SAMLRequest);
    if (!requestId)
      return res.status(400).send(page('Not a sign-in request', '<p>There is no SAMLRequest.</p>'));
    const relayState = typeof req.query.RelayState === 'string' ? req.query.RelayState : '';
    const people = options.directory
      .map(
        (person, i) => `<li><form method="post" action="/saml2/respond">
<input type="hidden" name="requestId" value="${escapeHtml(requestId)}">
<input type="hidden" name="relayState" value="${escapeHtml(relayState)}">
<input type="hidden" name="person" value="${i}">
<button type="submit">Sign in as ${escapeHtml(person.name)}</button> <small>${escapeHtml(person.roles.join(', '))}</small>
</form></li>`,
      )
      .join('');
    res.send(
      page(
        'Local test identity provider',
        `<p>This stands in for your council's Entra ID. Choose who you are.</p><ul>${people}</ul>`,
      ),
    );
  });

  app.post('/saml2/respond', (req, res) => {
    const body = req.body as Record<string, unknown>;
    const person = options.directory[Number(body.person)];
    if (!person || typeof body.requestId !== 'string')
      return res.status(400).send(page('Not a sign-in', '<p>Choose someone from the list.</p>'));
    const sessionIndex = newId();
    sessions.set(sessionIndex, person);
    const { xml } = samlResponse({
      idpEntityId: options.entityId,
      audience: options.audience,
      callbackUrl: options.callbackUrl,
      inResponseTo: body.requestId,
      nameId: person.objectId,
      attributes: {
        [ENTRA.objectId]: [person.objectId],
        [ENTRA.tenantId]: [person.tenantId],
        [ENTRA.email]: [person.email],
        [ENTRA.name]: [person.name],
        [ENTRA.roles]: person.roles,
      },
      signingKey: options.signingKey,
      sessionIndex,
    });
    const relayState = typeof body.relayState === 'string' ? body.relayState : '';
    res.send(
      page(
        `Signed in as ${person.name}`,
        `<form method="post" action="${escapeHtml(options.callbackUrl)}">
<input type="hidden" name="SAMLResponse" value="${Buffer.from(xml, 'utf8').toString('base64')}">
<input type="hidden" name="RelayState" value="${escapeHtml(relayState)}">
<button type="submit">Continue to Case Audit</button></form>`,
      ),
    );
  });

  app.get('/saml2/logout', (req, res) => {
    if (req.query.SAMLResponse !== undefined || req.query.SAMLRequest !== undefined)
      return res.send(
        page('Signed out', '<p>Case Audit has ended its session. You can close this page.</p>'),
      );
    const signedIn = [...sessions].map(
      ([sessionIndex, person]) => `<li><form method="post" action="/saml2/logout">
<input type="hidden" name="sessionIndex" value="${escapeHtml(sessionIndex)}">
<button type="submit">Sign ${escapeHtml(person.name)} out everywhere</button></form></li>`,
    );
    res.send(
      page(
        'Single logout',
        options.logoutUrl && signedIn.length
          ? `<p>End a session this identity provider began, in Case Audit too.</p><ul>${signedIn.join('')}</ul>`
          : '<p>No one is signed in here.</p>',
      ),
    );
  });

  app.post('/saml2/logout', (req, res) => {
    const sessionIndex = (req.body as Record<string, unknown>).sessionIndex;
    const person = typeof sessionIndex === 'string' ? sessions.get(sessionIndex) : undefined;
    if (!person || typeof sessionIndex !== 'string' || !options.logoutUrl)
      return res.status(400).send(page('Not a session', '<p>Choose a session from the list.</p>'));
    sessions.delete(sessionIndex);
    const { url } = redirectLogoutRequest({
      idpEntityId: options.entityId,
      destination: options.logoutUrl,
      nameId: person.objectId,
      sessionIndex,
      signingKey: options.signingKey,
    });
    res.redirect(url);
  });

  return app;
}
