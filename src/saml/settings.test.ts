import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config';
import { readMetadata } from './settings';

const keys = path.join(__dirname, 'local-idp', 'keys');
const file = (name: string, text: string) => {
  const at = path.join(tmpdir(), `case-audit-settings-${process.pid}-${name}`);
  writeFileSync(at, text);
  return at;
};
const mapping = file(
  'mapping.json',
  JSON.stringify({ subject: 'entra', grants: [{ claim: 'A', roles: ['auditor'] }] }),
);
const base = {
  NODE_ENV: 'test',
  AUTH_MODE: 'saml',
  PUBLIC_URL: 'https://case-audit.council.example',
  SAML_ROLE_MAPPING_FILE: mapping,
};

describe('single sign-on settings', () => {
  it('reads the identity provider from its values, with this service under PUBLIC_URL', () => {
    const config = loadConfig({
      ...base,
      SAML_IDP_ENTITY_ID: 'https://sts.windows.net/t/',
      SAML_IDP_SSO_URL: 'https://login.microsoftonline.com/t/saml2',
      SAML_IDP_CERT_FILES: `${path.join(keys, 'idp.crt')}, ${path.join(keys, 'idp-next.crt')}`,
    });
    expect(config.saml?.idp.certs).toHaveLength(2);
    expect(config.saml?.sp).toMatchObject({
      entityId: 'https://case-audit.council.example/auth/saml/metadata',
      callbackUrl: 'https://case-audit.council.example/auth/saml/callback',
      logoutCallbackUrl: 'https://case-audit.council.example/auth/saml/logout/callback',
    });
    expect(config.saml?.clockSkewMs).toBe(60_000);
  });

  it('reads federation metadata: entity id, sign-in and sign-out addresses, every signing certificate', () => {
    const cert = (name: string) =>
      readFileSync(path.join(keys, `${name}.crt`), 'utf8').replace(/-----[A-Z ]+-----|\s/g, '');
    const xml = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sts.windows.net/t/">
      <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
        <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${cert('idp')}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
        <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${cert('idp-next')}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
        <KeyDescriptor use="encryption"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${cert('other')}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
        <SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.example/logout"/>
        <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.example/post"/>
        <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.example/redirect"/>
      </IDPSSODescriptor></EntityDescriptor>`;
    const read = readMetadata(xml);
    expect(read).toMatchObject({
      entityId: 'https://sts.windows.net/t/',
      ssoUrl: 'https://login.example/redirect',
      sloUrl: 'https://login.example/logout',
    });
    expect(read.certs).toHaveLength(2);
    const config = loadConfig({ ...base, SAML_IDP_METADATA_FILE: file('metadata.xml', xml) });
    expect(config.saml?.idp.entityId).toBe('https://sts.windows.net/t/');
  });

  it('lists every problem at boot, each naming its variable', () => {
    expect(() =>
      loadConfig({
        ...base,
        SAML_ROLE_MAPPING_FILE: file('bad.json', JSON.stringify({ subject: 'email', grants: [] })),
        SAML_IDP_CERT_FILES: '/nowhere/idp.crt',
        SAML_IDP_SSO_URL: 'not a url',
        SAML_SP_KEY_FILE: path.join(keys, 'sp.key'),
        SAML_CLOCK_SKEW_SECONDS: '900',
        SAML_REQUIRE_ENCRYPTED_ASSERTIONS: 'yes',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.stringMatching(/^SAML_IDP_ENTITY_ID: is required/),
          expect.stringMatching(/^SAML_IDP_SSO_URL: is required/),
          expect.stringMatching(/^SAML_IDP_CERT_FILES: cannot read \/nowhere\/idp.crt/),
          expect.stringMatching(/^SAML_SP_KEY_FILE, SAML_SP_CERT_FILE: give both/),
          expect.stringMatching(/^SAML_CLOCK_SKEW_SECONDS: must be/),
          expect.stringMatching(/^SAML_REQUIRE_ENCRYPTED_ASSERTIONS: must be true or false/),
          expect.stringMatching(
            /^SAML_ROLE_MAPPING_FILE: .*\/subject must be equal to one of the allowed values/,
          ),
          expect.stringMatching(/^SAML_ROLE_MAPPING_FILE: .*\/grants must NOT have fewer than 1 items/),
        ]),
      }),
    );
  });

  it('is refused when a certificate file holds no certificate', () => {
    expect(() =>
      loadConfig({
        ...base,
        SAML_IDP_ENTITY_ID: 'x',
        SAML_IDP_SSO_URL: 'https://login.example/',
        SAML_IDP_CERT_FILES: path.join(keys, 'idp.key'),
      }),
    ).toThrow(/SAML_IDP_CERT_FILES: .*idp.key is not a PEM certificate/);
  });

  it('requires encrypted assertions only with a key pair to decrypt them', () => {
    const idp = {
      ...base,
      SAML_IDP_ENTITY_ID: 'x',
      SAML_IDP_SSO_URL: 'https://login.example/',
      SAML_IDP_CERT_FILES: path.join(keys, 'idp.crt'),
      SAML_REQUIRE_ENCRYPTED_ASSERTIONS: 'true',
    };
    expect(() => loadConfig(idp)).toThrow(/SAML_REQUIRE_ENCRYPTED_ASSERTIONS: needs SAML_SP_KEY_FILE/);
    const config = loadConfig({
      ...idp,
      SAML_SP_KEY_FILE: path.join(keys, 'sp.key'),
      SAML_SP_CERT_FILE: path.join(keys, 'sp.crt'),
    });
    expect(config.saml?.sp.requireEncryptedAssertions).toBe(true);
  });
});
