import { inflateRawSync } from 'node:zlib';
import {
  ASSERTION,
  base64Message,
  childOf,
  descendants,
  DSIG,
  MAX_RESPONSE_BYTES,
  parse,
  PROTOCOL,
  refuseHidden,
  refuseWeakAlgorithms,
  requireOwnSignature,
  SamlRefusal,
  SIGNATURE_METHODS,
  textOf,
} from './checks';

/**
 * What the service checks itself in a sign-out request the identity provider sends (IdP-initiated single
 * logout), beyond what node-saml checks (the signature against the configured certificates, the issuer,
 * NotOnOrAfter). node-saml 5.1 accepts a request sent by HTTP-Redirect with no signature at all, any
 * signature algorithm (SHA-1 too), and a request of any age; it reads one SessionIndex only.
 */

/** A sign-out request as it came: in the query string (HTTP-Redirect) or a posted form (HTTP-POST). */
export type LogoutMessage =
  { binding: 'redirect'; query: string } | { binding: 'post'; form: Record<string, unknown> };

export interface LogoutExpected {
  idpEntityId: string;
  /** Where sign-out requests come: their Destination. */
  logoutCallbackUrl: string;
  clockSkewMs: number;
  /** How old a request may be. */
  maxAgeMs: number;
}

/** A checked sign-out request: what node-saml is given, and what the service reads from it. */
export interface CheckedLogout {
  /** The fields as node-saml takes them, each once. */
  fields: Record<string, string>;
  id: string;
  /** The sessions to end; none means every session of the NameID. */
  sessionIndexes: string[];
  /** Handed back to the identity provider with the answer (at most 80 bytes, as SAML allows). */
  relayState: string | undefined;
}

const REDIRECT_FIELDS = new Set(['SAMLRequest', 'RelayState', 'SigAlg', 'Signature']);

/** The query's fields, each at most once and no others (the signature covers the query as sent). */
function redirectFields(query: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of query.split('&').filter(Boolean)) {
    const [name = '', value = ''] = pair.split('=', 2);
    let decoded: string;
    try {
      decoded = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      throw new SamlRefusal('its query string is not well-formed');
    }
    if (!REDIRECT_FIELDS.has(name) || name in fields)
      throw new SamlRefusal('its query string has a field unknown or repeated');
    fields[name] = decoded;
  }
  if (!fields.Signature || !fields.SigAlg) throw new SamlRefusal('the sign-out request is not signed');
  if (!SIGNATURE_METHODS.has(fields.SigAlg))
    throw new SamlRefusal('a signature does not use RSA with SHA-256 or stronger');
  return fields;
}

/** The request's XML, as the binding carries it (deflated in a query string, plain in a form). */
function requestXml(message: LogoutMessage): { xml: string; fields: Record<string, string> } {
  const fields =
    message.binding === 'redirect'
      ? redirectFields(message.query)
      : Object.fromEntries(
          ['SAMLRequest', 'RelayState'].flatMap((name) => {
            const value = message.form[name];
            return typeof value === 'string' ? [[name, value]] : [];
          }),
        );
  const bytes = base64Message(fields.SAMLRequest, 'SAMLRequest');
  if (message.binding === 'post') return { xml: bytes.toString('utf8'), fields };
  try {
    return { xml: inflateRawSync(bytes, { maxOutputLength: MAX_RESPONSE_BYTES }).toString('utf8'), fields };
  } catch {
    throw new SamlRefusal('it is not a deflated request');
  }
}

/**
 * Checks a sign-out request from the identity provider before node-saml verifies it: signed (the query by
 * HTTP-Redirect, the request itself by HTTP-POST, and nothing else signed inside it) with SHA-256 or
 * stronger; a LogoutRequest from the configured identity provider, to this service's sign-out address,
 * issued within the last `maxAgeMs`; one NameID; no comments or processing instructions.
 */
export function checkLogoutRequest(message: LogoutMessage, expected: LogoutExpected): CheckedLogout {
  const { xml, fields } = requestXml(message);
  const doc = parse(xml);
  const request = doc.documentElement as Element;
  if (request.namespaceURI !== PROTOCOL || request.localName !== 'LogoutRequest')
    throw new SamlRefusal('it is not a sign-out request');
  refuseHidden(doc);
  refuseWeakAlgorithms(doc);
  if (message.binding === 'post') requireOwnSignature(request, 'sign-out request');
  for (const signature of descendants(doc, DSIG, 'Signature'))
    if (signature.parentNode !== request) throw new SamlRefusal('it carries a signature out of place');
  if (textOf(childOf(request, ASSERTION, 'Issuer')) !== expected.idpEntityId)
    throw new SamlRefusal('its issuer is not the configured identity provider');
  if (request.getAttribute('Destination') !== expected.logoutCallbackUrl)
    throw new SamlRefusal('its Destination is not this service');
  const id = request.getAttribute('ID');
  if (!id) throw new SamlRefusal('it has no ID');
  const issued = Date.parse(request.getAttribute('IssueInstant') ?? '');
  const now = Date.now();
  if (Number.isNaN(issued) || issued > now + expected.clockSkewMs)
    throw new SamlRefusal('its IssueInstant is missing or in the future');
  if (issued < now - expected.maxAgeMs - expected.clockSkewMs) throw new SamlRefusal('it is too old');
  const identifiers = [childOf(request, ASSERTION, 'NameID'), childOf(request, ASSERTION, 'EncryptedID')];
  if (identifiers.filter(Boolean).length !== 1) throw new SamlRefusal('it does not name one subject');
  const sessionIndexes = descendants(request, PROTOCOL, 'SessionIndex')
    .filter((element) => element.parentNode === request)
    .map((element) => textOf(element));
  const relayState = fields.RelayState;
  return {
    fields,
    id,
    sessionIndexes,
    relayState: relayState && Buffer.byteLength(relayState) <= 80 ? relayState : undefined,
  };
}
