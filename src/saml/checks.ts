import { DOMParser } from '@xmldom/xmldom';

/**
 * What the service checks itself in a SAML response, beyond what node-saml checks (the signatures against
 * the configured certificates, the audience, the times): node-saml 5.1 accepts SHA-1, a signed assertion
 * in a response whose status is not Success, comments inside the subject, a response without Conditions;
 * it checks neither the issuer nor the Destination and Recipient of a sign-in response. `checkResponse`
 * runs on the response as posted, before node-saml; `checkAssertion` on the assertion node-saml verified.
 */

export const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const XENC = 'http://www.w3.org/2001/04/xmlenc#';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** Signature and digest algorithms accepted: SHA-256 or stronger, never SHA-1. */
export const SIGNATURE_METHODS: ReadonlySet<string> = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);
const DIGEST_METHODS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

/**
 * How an encrypted assertion may be encrypted: AES (CBC or GCM) under a key sent with RSA-OAEP, which is
 * what Entra ID and ADFS use. RSA PKCS#1 v1.5 key transport and Triple DES are refused before anything is
 * decrypted (node-saml would decrypt them).
 */
const ENCRYPTION_METHODS = new Set([
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
]);

/** The largest response read (an Entra response with many groups is some 20 kB). */
export const MAX_RESPONSE_BYTES = 256 * 1024;

/** A response refused, with why in words that carry no personal data (for the audit log and the page). */
export class SamlRefusal extends Error {
  constructor(readonly reason: string) {
    super(`The single sign-on response was refused: ${reason}.`);
    this.name = 'SamlRefusal';
  }
}

export interface Expected {
  /** The identity provider's entity id: the issuer of every response and assertion. */
  idpEntityId: string;
  /** Where responses are posted: their Destination and their subject confirmation's Recipient. */
  callbackUrl: string;
  /** Refuse an assertion that is not encrypted (SAML_REQUIRE_ENCRYPTED_ASSERTIONS). */
  encryptedAssertions: boolean;
}

export function parse(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new SamlRefusal('it has a document type declaration');
  const problems: string[] = [];
  const doc = new DOMParser({
    errorHandler: (level: string, message: unknown) => {
      if (level !== 'warning') problems.push(String(message));
    },
  }).parseFromString(xml, 'text/xml');
  if (problems.length > 0 || !doc.documentElement) throw new SamlRefusal('it is not well-formed XML');
  return doc;
}

const elementsIn = (node: Node): Element[] => {
  const found: Element[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling)
    if (child.nodeType === child.ELEMENT_NODE) found.push(child as Element);
  return found;
};

export const childOf = (parent: Element, ns: string, name: string): Element | undefined =>
  elementsIn(parent).find((e) => e.namespaceURI === ns && e.localName === name);

export const descendants = (node: Node, ns: string, name: string): Element[] =>
  Array.from((node as Element).getElementsByTagNameNS(ns, name));

export const textOf = (element: Element | undefined) => element?.textContent?.trim() ?? '';

/** Refuses comments and processing instructions anywhere: they have changed what a NameID reads. */
export function refuseHidden(node: Node): void {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === child.COMMENT_NODE) throw new SamlRefusal('it contains an XML comment');
    if (child.nodeType === child.PROCESSING_INSTRUCTION_NODE)
      throw new SamlRefusal('it contains a processing instruction');
    refuseHidden(child);
  }
}

/**
 * Refuses every signature and digest algorithm weaker than SHA-256 in the document, and any encryption
 * but AES with RSA-OAEP. (The digest inside RSA-OAEP's own EncryptionMethod is the padding's, SHA-1 at
 * Entra and ADFS, and is not a signature's.)
 */
export function refuseWeakAlgorithms(doc: Document): void {
  for (const method of descendants(doc, DSIG, 'SignatureMethod'))
    if (!SIGNATURE_METHODS.has(method.getAttribute('Algorithm') ?? ''))
      throw new SamlRefusal('a signature does not use RSA with SHA-256 or stronger');
  for (const reference of descendants(doc, DSIG, 'Reference'))
    for (const method of elementsIn(reference).filter((e) => e.localName === 'DigestMethod'))
      if (!DIGEST_METHODS.has(method.getAttribute('Algorithm') ?? ''))
        throw new SamlRefusal('a digest does not use SHA-256 or stronger');
  for (const method of descendants(doc, '*', 'EncryptionMethod'))
    if (!ENCRYPTION_METHODS.has(method.getAttribute('Algorithm') ?? ''))
      throw new SamlRefusal('its assertion is not encrypted with AES and RSA-OAEP');
}

/** The element's own signature, signing the element itself by its ID. */
export function requireOwnSignature(element: Element, what: string): void {
  const signature = childOf(element, DSIG, 'Signature');
  const id = element.getAttribute('ID');
  const references = signature ? descendants(signature, DSIG, 'Reference') : [];
  if (!signature || !id || references.length !== 1 || references[0]?.getAttribute('URI') !== `#${id}`)
    throw new SamlRefusal(`the ${what} is not signed`);
}

/** The bytes of a base64 message, refused when it is missing, too large or not base64. */
export function base64Message(posted: unknown, name: string): Buffer {
  if (typeof posted !== 'string' || posted.length === 0) throw new SamlRefusal(`there is no ${name}`);
  if (posted.length > (MAX_RESPONSE_BYTES * 4) / 3 + 4) throw new SamlRefusal('it is too large');
  if (!/^[A-Za-z0-9+/=\r\n]+$/.test(posted)) throw new SamlRefusal('it is not base64');
  return Buffer.from(posted, 'base64');
}

/**
 * An assertion signed itself with nothing else signed inside it, and with Conditions: checked on the
 * assertion in the response as posted, and again on the assertion node-saml verified, which for an
 * encrypted assertion is the first time its contents are seen.
 */
function requireSignedAssertion(assertion: Element): void {
  requireOwnSignature(assertion, 'assertion');
  if (!childOf(assertion, ASSERTION, 'Conditions'))
    throw new SamlRefusal('its assertion has no Conditions bounding its validity');
  for (const signature of descendants(assertion, DSIG, 'Signature'))
    if (signature.parentNode !== assertion) throw new SamlRefusal('it carries a signature out of place');
}

/**
 * Checks a sign-in response as posted (base64), before its signatures are verified, and gives the id of
 * the request it answers. A response must be Success, to this service, from the configured identity
 * provider, signed as a whole, with exactly one assertion directly inside it, signed itself (or
 * encrypted), no signature anywhere else, and no algorithm weaker than SHA-256.
 */
export function checkResponse(posted: unknown, expected: Expected): { xml: string; inResponseTo: string } {
  const xml = base64Message(posted, 'SAMLResponse').toString('utf8');
  const doc = parse(xml);
  const response = doc.documentElement as Element;
  if (response.namespaceURI !== PROTOCOL || response.localName !== 'Response')
    throw new SamlRefusal('it is not a SAML response');
  refuseHidden(doc);
  const status = childOf(response, PROTOCOL, 'Status');
  const code = status && childOf(status, PROTOCOL, 'StatusCode');
  if (code?.getAttribute('Value') !== SUCCESS) throw new SamlRefusal('its status is not Success');
  if (response.getAttribute('Destination') !== expected.callbackUrl)
    throw new SamlRefusal('its Destination is not this service');
  const issuer = childOf(response, ASSERTION, 'Issuer');
  if (!issuer || textOf(issuer) !== expected.idpEntityId)
    throw new SamlRefusal('its issuer is not the configured identity provider');

  const assertions = [...descendants(doc, '*', 'Assertion'), ...descendants(doc, '*', 'EncryptedAssertion')];
  const [assertion] = assertions;
  if (assertions.length !== 1 || !assertion || assertion.parentNode !== response)
    throw new SamlRefusal('it does not hold exactly one assertion in its place');
  refuseWeakAlgorithms(doc);
  requireOwnSignature(response, 'response');
  const plain = assertion.localName === 'Assertion' && assertion.namespaceURI === ASSERTION;
  const encrypted = assertion.localName === 'EncryptedAssertion' && assertion.namespaceURI === ASSERTION;
  if (!plain && !encrypted) throw new SamlRefusal('it does not hold exactly one assertion in its place');
  if (plain && expected.encryptedAssertions) throw new SamlRefusal('its assertion is not encrypted');
  if (plain) requireSignedAssertion(assertion);
  if (encrypted && childOf(assertion, XENC, 'EncryptedData') === undefined)
    throw new SamlRefusal('its encrypted assertion holds no encrypted data');
  for (const signature of descendants(doc, DSIG, 'Signature'))
    if (signature.parentNode !== response && !(plain && signature.parentNode === assertion))
      throw new SamlRefusal('it carries a signature out of place');

  const inResponseTo = response.getAttribute('InResponseTo');
  if (!inResponseTo) throw new SamlRefusal('it answers no sign-in request of this service');
  return { xml, inResponseTo };
}

/** What the verified assertion says: its id, until when it could be replayed, and who it is about. */
export interface AssertionFacts {
  id: string;
  notOnOrAfter: Date;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  /** Attribute values by attribute name. */
  attributes: Record<string, string[]>;
}

/** The assertion's attributes by name, each with its values. */
function attributesOf(assertion: Element): Record<string, string[]> {
  const attributes: Record<string, string[]> = {};
  for (const statement of elementsIn(assertion).filter((e) => e.localName === 'AttributeStatement'))
    for (const attribute of elementsIn(statement)) {
      const name = attribute.getAttribute('Name');
      if (attribute.localName !== 'Attribute' || !name) continue;
      attributes[name] = [
        ...(attributes[name] ?? []),
        ...elementsIn(attribute)
          .filter((v) => v.localName === 'AttributeValue')
          .map((v) => textOf(v)),
      ];
    }
  return attributes;
}

/**
 * Checks the assertion node-saml verified (decrypted, when it came encrypted): signed itself with SHA-256
 * or stronger and nothing else signed inside it, no comments, issued by the configured identity provider,
 * with Conditions that bound its validity, and a bearer confirmation for this service answering the same
 * request. An encrypted assertion is checked here as a plain one is in `checkResponse`.
 */
export function checkAssertion(xml: string, expected: Expected, inResponseTo: string): AssertionFacts {
  const doc = parse(xml);
  refuseHidden(doc);
  const assertion = doc.documentElement as Element;
  if (assertion.namespaceURI !== ASSERTION || assertion.localName !== 'Assertion')
    throw new SamlRefusal('its assertion is not an assertion');
  refuseWeakAlgorithms(doc);
  requireSignedAssertion(assertion);
  if (textOf(childOf(assertion, ASSERTION, 'Issuer')) !== expected.idpEntityId)
    throw new SamlRefusal('its assertion’s issuer is not the configured identity provider');
  const conditions = childOf(assertion, ASSERTION, 'Conditions');
  const notOnOrAfter = Date.parse(conditions?.getAttribute('NotOnOrAfter') ?? '');
  if (!conditions || Number.isNaN(notOnOrAfter))
    throw new SamlRefusal('its assertion has no Conditions bounding its validity');
  const subject = childOf(assertion, ASSERTION, 'Subject');
  const confirmed = (subject ? elementsIn(subject) : []).some((confirmation) => {
    if (confirmation.localName !== 'SubjectConfirmation') return false;
    if (confirmation.getAttribute('Method') !== BEARER) return false;
    const data = childOf(confirmation, ASSERTION, 'SubjectConfirmationData');
    return (
      data?.getAttribute('Recipient') === expected.callbackUrl &&
      data.getAttribute('InResponseTo') === inResponseTo
    );
  });
  if (!confirmed) throw new SamlRefusal('its assertion is not confirmed for this service and request');
  const id = assertion.getAttribute('ID');
  if (!id) throw new SamlRefusal('its assertion has no ID');
  const nameId = subject && childOf(subject, ASSERTION, 'NameID');
  if (!nameId || !textOf(nameId)) throw new SamlRefusal('its assertion names no subject');
  const authn = childOf(assertion, ASSERTION, 'AuthnStatement');
  return {
    id,
    notOnOrAfter: new Date(notOnOrAfter),
    nameId: textOf(nameId),
    nameIdFormat: nameId.getAttribute('Format'),
    sessionIndex: authn?.getAttribute('SessionIndex') ?? null,
    attributes: attributesOf(assertion),
  };
}
