import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './config';

/** Single sign-on set up, as production requires (the test identity provider's certificate). */
const mappingFile = path.join(tmpdir(), `case-audit-config-mapping-${process.pid}.json`);
writeFileSync(
  mappingFile,
  JSON.stringify({ subject: 'entra', grants: [{ claim: 'A', roles: ['auditor'] }] }),
);
const SAML = {
  SAML_IDP_ENTITY_ID: 'https://sts.windows.net/tenant/',
  SAML_IDP_SSO_URL: 'https://login.microsoftonline.com/tenant/saml2',
  SAML_IDP_CERT_FILES: path.join(__dirname, 'saml', 'local-idp', 'keys', 'idp.crt'),
  SAML_ROLE_MAPPING_FILE: mappingFile,
};

describe('loadConfig', () => {
  it('has working defaults for development, with the embedded database and demo data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      authMode: 'dev',
      seedDemo: true,
      sessionIdleMinutes: 30,
      sessionMaxHours: 10,
    });
    expect(config.sessionSecret).toHaveLength(64);
  });

  it('reads numbers and flags from strings', () => {
    const config = loadConfig({
      PORT: '8080',
      TRUST_PROXY: '1',
      DATABASE_URL: 'postgres://x@h/db',
      SEED_DEMO: '1',
    });
    expect(config).toMatchObject({
      port: 8080,
      trustProxyHops: 1,
      databaseUrl: 'postgres://x@h/db',
      seedDemo: true,
    });
  });

  it('logs lines for people outside production, and JSON lines in production unless told otherwise', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x@h/db',
      SESSION_SECRET: 's'.repeat(32),
      PUBLIC_URL: 'https://case-audit.council.gov.uk',
      MAIL_TRANSPORT: 'outbox',
      ...SAML,
    };
    expect(loadConfig({}).logFormat).toBe('pretty');
    expect(loadConfig({ NODE_ENV: 'test' }).logFormat).toBe('pretty');
    expect(loadConfig(production).logFormat).toBe('json');
    expect(loadConfig({ ...production, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(
      /LOG_FORMAT: must be equal to one of the allowed values/,
    );
  });

  it('does not seed demo data into DATABASE_URL unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db' }).seedDemo).toBe(false);
    expect(loadConfig({ SEED_DEMO: '0' }).seedDemo).toBe(false);
  });

  it('lists every problem, naming the variable and the value', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
      } catch (err) {
        return err;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: must be integer \(got "eighty"\)/),
        expect.stringMatching(/^LOG_LEVEL: must be equal to one of the allowed values/),
        expect.stringMatching(/^DATABASE_URL: must match pattern/),
      ]),
    );
  });

  it('requires secrets and a real database in production, and refuses dev sign-in there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SESSION_SECRET: is required[\s\S]*DATABASE_URL: is required/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(32),
        DATABASE_URL: 'postgres://x@h/db',
        AUTH_MODE: 'dev',
      }),
    ).toThrow(/AUTH_MODE: dev sign-in is refused/);
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(40),
      DATABASE_URL: 'postgres://x@h/db',
      PUBLIC_URL: 'https://case-audit.council.gov.uk',
      SMTP_URL: 'smtp://mailer:secret@smtp.council.gov.uk:587',
      MAIL_FROM: 'Case Audit <case-audit@council.gov.uk>',
      ...SAML,
    });
    expect(config).toMatchObject({ env: 'production', host: '0.0.0.0', authMode: 'saml', seedDemo: false });
    expect(config.mail).toEqual({
      transport: 'smtp',
      smtpUrl: 'smtp://mailer:secret@smtp.council.gov.uk:587',
      from: 'Case Audit <case-audit@council.gov.uk>',
    });
  });

  it('keeps mail in the outbox outside production unless told, and asks production to choose', () => {
    expect(loadConfig({}).mail.transport).toBe('outbox');
    expect(loadConfig({}).publicUrl).toBe('http://localhost:3000');
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: 's'.repeat(40),
        DATABASE_URL: 'postgres://x@h/db',
      }),
    ).toThrow(/PUBLIC_URL: is required[\s\S]*MAIL_TRANSPORT: is required/);
  });

  it('names what SMTP needs, and refuses settings that are not addresses', () => {
    expect(() => loadConfig({ MAIL_TRANSPORT: 'smtp' })).toThrow(
      /SMTP_URL: is required when MAIL_TRANSPORT=smtp[\s\S]*MAIL_FROM: is required/,
    );
    const error = (() => {
      try {
        loadConfig({ SMTP_URL: 'http://mail', MAIL_FROM: 'nobody', PUBLIC_URL: 'case-audit.gov.uk' });
      } catch (err) {
        return err;
      }
    })() as ConfigError;
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SMTP_URL: must match pattern .* \(got "http:\/\/mail"\)/),
        expect.stringMatching(/^MAIL_FROM: must match pattern .* \(got "nobody"\)/),
        expect.stringMatching(/^PUBLIC_URL: must match pattern/),
      ]),
    );
  });

  it('refuses a short session secret', () => {
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(
      /SESSION_SECRET: must NOT have fewer than 32 characters/,
    );
  });
});

describe('the database settings', () => {
  it.each([
    [{}, { databasePoolMax: 10, databaseStatementTimeoutMs: 30000 }],
    [
      { DATABASE_POOL_MAX: '40', DATABASE_STATEMENT_TIMEOUT_MS: '5000' },
      { databasePoolMax: 40, databaseStatementTimeoutMs: 5000 },
    ],
    [{ DATABASE_STATEMENT_TIMEOUT_MS: '0' }, { databaseStatementTimeoutMs: 0 }],
  ])('reads %j', (env, expected) => {
    expect(loadConfig(env)).toMatchObject(expected);
  });

  it.each(['-1', '3600001', 'soon'])('refuses a statement timeout of %j', (value) => {
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: value })).toThrow(
      /DATABASE_STATEMENT_TIMEOUT_MS: must be/,
    );
  });
});
