import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { SignedXml } from 'xml-crypto';
import { encrypt, type EncryptionAlgorithm } from 'xml-encryption';
import { escapeHtml } from '../../reporting/pdf/escape';

/**
 * SAML 2.0 responses as an identity provider makes them, signed with xml-crypto: what the local test
 * identity provider sends, and what the single sign-on tests send, whole or tampered with.
 */

export const ALGORITHMS = {
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
  /** The assertion's issuer, when it is not the response's (a forgery). */
  assertionIssuer?: string;
}

const signedParts = (input: ResponseInput) => input.sign ?? { response: true, assertion: true };

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
    `<saml:Issuer>${escapeHtml(input.assertionIssuer ?? input.idpEntityId)}</saml:Issuer>` +
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

/** The assertion as it goes in the response (signed unless told otherwise), and its id. */
function assertionFor(input: ResponseInput): { assertion: string; assertionId: string } {
  const assertionId = newId();
  const assertion = assertionXml(input, assertionId);
  return {
    assertionId,
    assertion: signedParts(input).assertion
      ? signElement(assertion, assertionId, input.signingKey, input.algorithm)
      : assertion,
  };
}

/** The response around an assertion (plain or encrypted), signed as a whole unless told otherwise. */
function responseAround(input: ResponseInput, assertion: string): { xml: string; id: string } {
  const id = newId();
  const issued = input.issuedAt ?? new Date();
  const status = input.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success';
  let xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(issued)}" Destination="${escapeHtml(input.callbackUrl)}" InResponseTo="${escapeHtml(input.inResponseTo)}">` +
    `<saml:Issuer>${escapeHtml(input.idpEntityId)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${escapeHtml(status)}"/></samlp:Status>` +
    assertion +
    `</samlp:Response>`;
  if (signedParts(input).response) xml = signElement(xml, id, input.signingKey, input.algorithm);
  return { xml, id };
}

/** A whole sign-in response, as XML, with the ids of the response and its assertion. */
export function samlResponse(input: ResponseInput): { xml: string; id: string; assertionId: string } {
  const { assertion, assertionId } = assertionFor(input);
  return { ...responseAround(input, assertion), assertionId };
}

const ENCRYPTION = {
  'aes256-gcm': 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'aes256-cbc': 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
} as const satisfies Record<string, EncryptionAlgorithm>;

/** Whom an assertion is encrypted to: the service provider's certificate, and the cipher. */
export interface EncryptFor {
  /** PEM certificate (its public key receives the AES key, by RSA-OAEP). */
  cert: string;
  algorithm?: keyof typeof ENCRYPTION;
}

/**
 * A sign-in response whose assertion, made and signed as in `samlResponse`, is then encrypted to the
 * service provider's certificate (an EncryptedAssertion, as Entra's token encryption and ADFS send).
 */
export async function encryptedSamlResponse(
  input: ResponseInput,
  to: EncryptFor,
): Promise<{ xml: string; id: string; assertionId: string }> {
  const { assertion, assertionId } = assertionFor(input);
  const encrypted = await promisify(encrypt)(assertion, {
    rsa_pub: to.cert,
    pem: to.cert,
    encryptionAlgorithm: ENCRYPTION[to.algorithm ?? 'aes256-gcm'],
    keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
    disallowEncryptionWithInsecureAlgorithm: true,
  });
  const wrapped = `<saml:EncryptedAssertion>${encrypted.trim()}</saml:EncryptedAssertion>`;
  return { ...responseAround(input, wrapped), assertionId };
}
