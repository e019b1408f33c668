import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { parseMapping, type RoleMapping } from './mapping';

/** Single sign-on as configured: the identity provider, this service provider, and how claims map. */
export interface SamlSettings {
  idp: {
    entityId: string;
    /** Where sign-in requests go (HTTP-Redirect binding). */
    ssoUrl: string;
    /** Where sign-out requests go, if the identity provider's session is to end too. */
    sloUrl: string | undefined;
    /** PEM certificates a response may be signed with: more than one while a certificate is rolled over. */
    certs: string[];
  };
  sp: {
    entityId: string;
    callbackUrl: string;
    logoutCallbackUrl: string;
    /**
     * PEM key pair that signs requests and sign-out answers and decrypts encrypted assertions, if
     * configured (the certificate is published in the metadata for both uses).
     */
    key: string | undefined;
    cert: string | undefined;
    /** Refuse assertions that come unencrypted (the identity provider must encrypt them to the cert). */
    requireEncryptedAssertions: boolean;
  };
  clockSkewMs: number;
  mapping: RoleMapping;
}

/** The SAML environment variables, each a string as the environment gives it. */
export const SAML_ENV = [
  'SAML_IDP_METADATA_FILE',
  'SAML_IDP_ENTITY_ID',
  'SAML_IDP_SSO_URL',
  'SAML_IDP_SLO_URL',
  'SAML_IDP_CERT_FILES',
  'SAML_SP_ENTITY_ID',
  'SAML_CALLBACK_URL',
  'SAML_SP_KEY_FILE',
  'SAML_SP_CERT_FILE',
  'SAML_REQUIRE_ENCRYPTED_ASSERTIONS',
  'SAML_CLOCK_SKEW_SECONDS',
  'SAML_ROLE_MAPPING_FILE',
] as const;
export type SamlEnv = Partial<Record<(typeof SAML_ENV)[number], string>>;

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

const pem = (base64: string) =>
  `-----BEGIN CERTIFICATE-----\n${(base64.replace(/\s+/g, '').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;

/** What an identity provider's federation metadata (Entra's or ADFS's) says about it. */
export function readMetadata(xml: string): {
  entityId?: string;
  ssoUrl?: string;
  sloUrl?: string;
  certs: string[];
} {
  const doc = new DOMParser({ errorHandler: () => undefined }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  const idp = root?.getElementsByTagNameNS(MD, 'IDPSSODescriptor')[0];
  if (!root || !idp) return { certs: [] };
  const located = (name: string) =>
    Array.from(idp.getElementsByTagNameNS(MD, name))
      .find((e: Element) => e.getAttribute('Binding') === REDIRECT)
      ?.getAttribute('Location') ?? undefined;
  const certs = Array.from(idp.getElementsByTagNameNS(MD, 'KeyDescriptor'))
    .filter((k: Element) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k: Element) => Array.from(k.getElementsByTagNameNS(DSIG, 'X509Certificate')))
    .map((c: Element) => pem(c.textContent ?? ''));
  return {
    entityId: root.getAttribute('entityID') ?? undefined,
    ssoUrl: located('SingleSignOnService'),
    sloUrl: located('SingleLogoutService'),
    certs: [...new Set(certs)],
  };
}

const isUrl = (value: string) => /^https?:\/\/[^\s]+$/.test(value);

/**
 * Reads and checks the single sign-on settings (files read now, at boot), listing every problem: the
 * identity provider from its metadata file or from its entity id, sign-in URL and certificates (values
 * given directly win over the metadata's); this service's entity id and callback (by default under
 * PUBLIC_URL); its own key pair if any, and whether assertions must come encrypted to it; the clock skew allowed (60 s by default, at most 300 s); the role
 * mapping file.
 */
export function readSamlSettings(
  env: SamlEnv,
  publicUrl: string,
): { settings?: SamlSettings; problems: string[] } {
  const problems: string[] = [];
  const read = (name: keyof SamlEnv, file: string): string | undefined => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      problems.push(`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  };
  const certificate = (name: keyof SamlEnv, text: string, file: string) => {
    try {
      const cert = new X509Certificate(text);
      if (Date.parse(cert.validTo) < Date.now())
        problems.push(`${name}: the certificate in ${file} expired on ${cert.validTo}`);
      return cert.toString();
    } catch {
      problems.push(`${name}: ${file} is not a PEM certificate`);
      return undefined;
    }
  };

  const metadata = env.SAML_IDP_METADATA_FILE
    ? readMetadata(read('SAML_IDP_METADATA_FILE', env.SAML_IDP_METADATA_FILE) ?? '')
    : { certs: [] };
  if (env.SAML_IDP_METADATA_FILE && !metadata.entityId && problems.length === 0)
    problems.push(`SAML_IDP_METADATA_FILE: ${env.SAML_IDP_METADATA_FILE} is not identity provider metadata`);
  const certFiles = (env.SAML_IDP_CERT_FILES ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const certs = certFiles.length
    ? certFiles.flatMap((file) => {
        const text = read('SAML_IDP_CERT_FILES', file);
        const cert = text === undefined ? undefined : certificate('SAML_IDP_CERT_FILES', text, file);
        return cert ? [cert] : [];
      })
    : metadata.certs;
  const entityId = env.SAML_IDP_ENTITY_ID ?? metadata.entityId;
  const ssoUrl = env.SAML_IDP_SSO_URL ?? metadata.ssoUrl;
  const sloUrl = env.SAML_IDP_SLO_URL ?? metadata.sloUrl;
  if (!entityId) problems.push('SAML_IDP_ENTITY_ID: is required (or SAML_IDP_METADATA_FILE)');
  if (!ssoUrl || !isUrl(ssoUrl))
    problems.push('SAML_IDP_SSO_URL: is required, an http(s) URL (or SAML_IDP_METADATA_FILE)');
  if (sloUrl !== undefined && !isUrl(sloUrl)) problems.push('SAML_IDP_SLO_URL: must be an http(s) URL');
  if (certs.length === 0 && certFiles.length === 0)
    problems.push('SAML_IDP_CERT_FILES: at least one certificate is required (or SAML_IDP_METADATA_FILE)');

  const base = publicUrl.replace(/\/$/, '');
  const spEntityId = env.SAML_SP_ENTITY_ID ?? `${base}/auth/saml/metadata`;
  const callbackUrl = env.SAML_CALLBACK_URL ?? `${base}/auth/saml/callback`;
  if (!isUrl(callbackUrl)) problems.push('SAML_CALLBACK_URL: must be an http(s) URL');
  if (Boolean(env.SAML_SP_KEY_FILE) !== Boolean(env.SAML_SP_CERT_FILE))
    problems.push('SAML_SP_KEY_FILE, SAML_SP_CERT_FILE: give both, or neither');
  const key = env.SAML_SP_KEY_FILE ? read('SAML_SP_KEY_FILE', env.SAML_SP_KEY_FILE) : undefined;
  const spCertText = env.SAML_SP_CERT_FILE ? read('SAML_SP_CERT_FILE', env.SAML_SP_CERT_FILE) : undefined;
  const spCert =
    spCertText && env.SAML_SP_CERT_FILE
      ? certificate('SAML_SP_CERT_FILE', spCertText, env.SAML_SP_CERT_FILE)
      : undefined;
  const requireEncrypted = env.SAML_REQUIRE_ENCRYPTED_ASSERTIONS ?? 'false';
  if (requireEncrypted !== 'true' && requireEncrypted !== 'false')
    problems.push(
      `SAML_REQUIRE_ENCRYPTED_ASSERTIONS: must be true or false (got ${JSON.stringify(requireEncrypted)})`,
    );
  else if (requireEncrypted === 'true' && !env.SAML_SP_KEY_FILE)
    problems.push(
      'SAML_REQUIRE_ENCRYPTED_ASSERTIONS: needs SAML_SP_KEY_FILE and SAML_SP_CERT_FILE to decrypt',
    );
  const skew = env.SAML_CLOCK_SKEW_SECONDS ?? '60';
  if (!/^\d+$/.test(skew) || Number(skew) > 300)
    problems.push(
      `SAML_CLOCK_SKEW_SECONDS: must be a whole number of seconds from 0 to 300 (got ${JSON.stringify(skew)})`,
    );

  let mapping: RoleMapping | undefined;
  if (!env.SAML_ROLE_MAPPING_FILE) problems.push('SAML_ROLE_MAPPING_FILE: is required');
  else {
    const text = read('SAML_ROLE_MAPPING_FILE', env.SAML_ROLE_MAPPING_FILE);
    if (text !== undefined) {
      const parsed = parseMapping(text, env.SAML_ROLE_MAPPING_FILE);
      problems.push(...parsed.problems);
      mapping = parsed.mapping;
    }
  }
  if (problems.length > 0 || !entityId || !ssoUrl || !mapping) return { problems };
  return {
    problems,
    settings: {
      idp: { entityId, ssoUrl, sloUrl, certs },
      sp: {
        entityId: spEntityId,
        callbackUrl,
        logoutCallbackUrl: new URL('logout/callback', callbackUrl).toString(),
        key,
        cert: spCert,
        requireEncryptedAssertions: requireEncrypted === 'true',
      },
      clockSkewMs: Number(skew) * 1000,
      mapping,
    },
  };
}
