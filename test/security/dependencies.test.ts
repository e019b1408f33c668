import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

/**
 * Known-vulnerable versions kept out of the tree. The registry this project installs from offers no audit
 * endpoint, so the lockfile itself is checked: every copy of each package, wherever it is nested, must be
 * at least the version that fixed the advisories that matter to sign-in here.
 */
const MINIMUM: Record<string, { version: string; why: string }> = {
  '@node-saml/node-saml': {
    version: '5.1.0',
    why: 'CVE-2025-54419: a comment in a signed assertion changed what it read',
  },
  '@node-saml/passport-saml': { version: '5.1.0', why: 'depends on the fixed node-saml' },
  'xml-crypto': {
    version: '6.0.1',
    why: 'CVE-2025-29774 and CVE-2025-29775: signature bypass through comments and wrapping',
  },
  '@xmldom/xmldom': {
    version: '0.8.15',
    why: 'the release checked here: earlier 0.8 releases fixed parsing and serialising that let markup be injected',
  },
  samlify: { version: '2.10.0', why: 'signature wrapping (CVE-2025-47949)' },
};
/** Packages that must never be installed at all. */
const FORBIDDEN = { 'passport-saml': 'the unscoped, unmaintained package; use @node-saml/passport-saml' };

const lock = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};
/** Every installed copy: its package name (the path's last node_modules segment) and version. */
const installed = Object.entries(lock.packages)
  .filter(([at]) => at.includes('node_modules/'))
  .map(([at, entry]) => ({
    name: at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length),
    at,
    version: entry.version ?? '',
  }));

describe('dependencies', () => {
  it('finds the packages it checks (the lockfile is read)', () => {
    expect(installed.some((p) => p.name === '@node-saml/node-saml')).toBe(true);
    expect(installed.some((p) => p.name === 'xml-crypto')).toBe(true);
  });

  it.each(Object.entries(MINIMUM))('has no copy of %s below its fixed version', (name, { version, why }) => {
    const below = installed.filter((p) => p.name === name && semver.lt(p.version, version));
    expect(below.map((p) => `${p.at}@${p.version} (${why})`)).toEqual([]);
  });

  it.each(Object.entries(FORBIDDEN))('never installs %s', (name, why) => {
    expect(installed.filter((p) => p.name === name).map((p) => `${p.at} (${why})`)).toEqual([]);
  });
});
