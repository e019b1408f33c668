import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { demoDirectory, demoMapping } from '../../demo/single-sign-on';
import { ROOT_DIR } from '../../paths';
import { createLocalIdp } from './server';

/**
 * `npm run start:sso`: the local test identity provider on 127.0.0.1 (LOCAL_IDP_PORT, 3001 by default),
 * and Case Audit in single sign-on mode against it, with the demo users as the directory. Everything else
 * is as `npm start` (the embedded database and the demo data unless DATABASE_URL says otherwise).
 */
const KEYS = path.join(ROOT_DIR, 'src', 'saml', 'local-idp', 'keys');
const port = Number(process.env.PORT ?? 3000);
const idpPort = Number(process.env.LOCAL_IDP_PORT ?? 3001);
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
const idpUrl = `http://127.0.0.1:${idpPort}`;

const dataDir = path.resolve(process.env.DATA_DIR ?? './data');
mkdirSync(dataDir, { recursive: true });
const mappingFile = path.join(dataDir, 'local-idp-mapping.json');
writeFileSync(mappingFile, `${JSON.stringify(demoMapping(), null, 2)}\n`);

const idp = createLocalIdp({
  entityId: `${idpUrl}/`,
  signingKey: {
    key: readFileSync(path.join(KEYS, 'idp.key'), 'utf8'),
    cert: readFileSync(path.join(KEYS, 'idp.crt'), 'utf8'),
  },
  audience: `${publicUrl}/auth/saml/metadata`,
  callbackUrl: `${publicUrl}/auth/saml/callback`,
  logoutUrl: `${publicUrl}/auth/saml/logout/callback`,
  directory: demoDirectory(),
}).listen(idpPort, '127.0.0.1', () => {
  process.stdout.write(
    `Local test identity provider at ${idpUrl}/saml2 (the demo users; loopback only), single logout at ${idpUrl}/saml2/logout\n`,
  );
  const server = spawn(
    process.execPath,
    ['--enable-source-maps', path.join(__dirname, '..', '..', 'server.js')],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        AUTH_MODE: 'saml',
        PUBLIC_URL: publicUrl,
        SAML_IDP_ENTITY_ID: `${idpUrl}/`,
        SAML_IDP_SSO_URL: `${idpUrl}/saml2`,
        SAML_IDP_SLO_URL: `${idpUrl}/saml2/logout`,
        SAML_IDP_CERT_FILES: path.join(KEYS, 'idp.crt'),
        SAML_SP_KEY_FILE: path.join(KEYS, 'sp.key'),
        SAML_SP_CERT_FILE: path.join(KEYS, 'sp.crt'),
        SAML_ROLE_MAPPING_FILE: mappingFile,
      },
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  server.on('exit', (code) => {
    idp.close();
    process.exitCode = code ?? 1;
  });
});
