import { randomBytes } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { escapeHtml } from '../../reporting/pdf/escape';

/**
 * SAML 2.0 responses as an identity provider makes them, signed with xml-crypto: what the local test
 * identity provider sends, and what the single sign-on tests send, whole or tampered with.
 */

const ALGORITHMS = {
  sha256: {
    signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    digest: 'http://www.w3.org/2001/04/xmlenc#sha256',
  },
  sha1: {
    signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    digest: 'http://www.w3.org/2000/09/xmldsig#sha1',
  },
} as const;

export interface SigningKey {
  /** PEM private key. */
  key: string;
  /** PEM certificate, sent in the signature's KeyInfo. */
  cert: string;
}

export interface ResponseInput {
  idpEntityId: string;
  /** The service provider's entity id: the assertion's audience. */
  audience: string;
  /** Where the response is posted: its Destination and its subject confirmation's Recipient. */
  callbackUrl: string;
  /** The id of the AuthnRequest answered. */
  inResponseTo: string;
  /** The subject's NameID (persistent). */
  nameId: string;
  /** Attributes by name, each with its values. */
  attributes: Record<string, readonly string[]>;
  signingKey: SigningKey;
  /** The time the response is issued: now by default. */
  issuedAt?: Date;
  /** How long the assertion is valid for: five minutes by default. */
  validForSeconds?: number;
  /** Which parts are signed: both by default. */
  sign?: { response: boolean; assertion: boolean };
  algorithm?: keyof typeof ALGORITHMS;
  /** The top-level status code: Success by default. */
  status?: string;
  /** Leave the assertion's Conditions out. */
  withoutConditions?: boolean;
  /** A SessionIndex for single logout. */
  sessionIndex?: string;
}

export const newId = () => `_${randomBytes(20).toString('hex')}`;

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The unsigned assertion. */
function assertionXml(input: ResponseInput, id: string): string {
  const issued = input.issuedAt ?? new Date();
  const until = new Date(issued.getTime() + (input.validForSeconds ?? 300) * 1000);
  const conditions = input.withoutConditions
    ? ''
    : `<saml:Conditions NotBefore="${iso(issued)}" NotOnOrAfter="${iso(until)}"><saml:AudienceRestriction><saml:Audience>${escapeHtml(input.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`;
  const attributes = Object.entries(input.attributes)
    .map(
      ([name, values]) =>
        `<saml:Attribute Name="${escapeHtml(name)}">${values
          .map((v) => `<saml:AttributeValue>${escapeHtml(v)}</saml:AttributeValue>`)
          .join('')}</saml:Attribute>`,
    )
    .join('');
  return (
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(issued)}">` +
    `<saml:Issuer>${escapeHtml(input.idpEntityId)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${escapeHtml(input.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${escapeHtml(input.inResponseTo)}" NotOnOrAfter="${iso(until)}" Recipient="${escapeHtml(input.callbackUrl)}"/></saml:SubjectConfirmation></saml:Subject>` +
    conditions +
    `<saml:AuthnStatement AuthnInstant="${iso(issued)}" SessionIndex="${escapeHtml(input.sessionIndex ?? id)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`
  );
}

/** Signs the element with this ID, the signature placed right after its Issuer (as SAML requires). */
export function signElement(
  xml: string,
  id: string,
  signingKey: SigningKey,
  algorithm: keyof typeof ALGORITHMS = 'sha256',
): string {
  const { signature, digest } = ALGORITHMS[algorithm];
  const signer = new SignedXml({
    privateKey: signingKey.key,
    publicCert: signingKey.cert,
    signatureAlgorithm: signature,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  const element = `//*[@ID='${id}']`;
  signer.addReference({
    xpath: element,
    digestAlgorithm: digest,
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${element}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

/** A whole sign-in response, as XML, with the ids of the response and its assertion. */
export function samlResponse(input: ResponseInput): { xml: string; id: string; assertionId: string } {
  const id = newId();
  const assertionId = newId();
  const sign = input.sign ?? { response: true, assertion: true };
  let assertion = assertionXml(input, assertionId);
  if (sign.assertion) assertion = signElement(assertion, assertionId, input.signingKey, input.algorithm);
  const issued = input.issuedAt ?? new Date();
  const status = input.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success';
  let xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(issued)}" Destination="${escapeHtml(input.callbackUrl)}" InResponseTo="${escapeHtml(input.inResponseTo)}">` +
    `<saml:Issuer>${escapeHtml(input.idpEntityId)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${escapeHtml(status)}"/></samlp:Status>` +
    assertion +
    `</samlp:Response>`;
  if (sign.response) xml = signElement(xml, id, input.signingKey, input.algorithm);
  return { xml, id, assertionId };
}
