import { createSign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { escapeHtml } from '../../reporting/pdf/escape';
import { ALGORITHMS, newId, signElement, type SigningKey } from './response';

/**
 * Sign-out requests as an identity provider sends them to end its session everywhere (IdP-initiated single
 * logout): what the local test identity provider sends, and what the single logout tests send, whole or
 * forged.
 */
export interface LogoutRequestInput {
  idpEntityId: string;
  /** The service provider's sign-out address: the request's Destination. */
  destination: string;
  nameId: string;
  /** The session to end; without it, every session of the NameID. */
  sessionIndex?: string;
  signingKey: SigningKey;
  /** Leave the signature out. */
  unsigned?: boolean;
  algorithm?: keyof typeof ALGORITHMS;
  issuedAt?: Date;
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The LogoutRequest's XML, unsigned, and its ID. */
function logoutRequestXml(input: LogoutRequestInput): { xml: string; id: string } {
  const id = newId();
  const xml =
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(input.issuedAt ?? new Date())}" Destination="${escapeHtml(input.destination)}">` +
    `<saml:Issuer>${escapeHtml(input.idpEntityId)}</saml:Issuer>` +
    `<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${escapeHtml(input.nameId)}</saml:NameID>` +
    (input.sessionIndex ? `<samlp:SessionIndex>${escapeHtml(input.sessionIndex)}</samlp:SessionIndex>` : '') +
    `</samlp:LogoutRequest>`;
  return { xml, id };
}

/**
 * HTTP-Redirect binding: the service provider's sign-out address with the deflated request and RelayState,
 * and the signature over them as the query carries them (SigAlg, Signature).
 */
export function redirectLogoutRequest(
  input: LogoutRequestInput,
  relayState?: string,
): { url: string; id: string } {
  const { xml, id } = logoutRequestXml(input);
  const algorithm = ALGORITHMS[input.algorithm ?? 'sha256'].signature;
  const signed = [
    `SAMLRequest=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}`,
    ...(relayState === undefined ? [] : [`RelayState=${encodeURIComponent(relayState)}`]),
    `SigAlg=${encodeURIComponent(algorithm)}`,
  ].join('&');
  if (input.unsigned) return { url: `${input.destination}?${signed}`, id };
  const signature = createSign(input.algorithm === 'sha1' ? 'RSA-SHA1' : 'RSA-SHA256')
    .update(signed)
    .sign(input.signingKey.key, 'base64');
  return { url: `${input.destination}?${signed}&Signature=${encodeURIComponent(signature)}`, id };
}

/** HTTP-POST binding: the request signed itself, base64 as the form's SAMLRequest carries it. */
export function postLogoutRequest(input: LogoutRequestInput): { samlRequest: string; id: string } {
  const { xml, id } = logoutRequestXml(input);
  const signed = input.unsigned ? xml : signElement(xml, id, input.signingKey, input.algorithm);
  return { samlRequest: Buffer.from(signed, 'utf8').toString('base64'), id };
}
