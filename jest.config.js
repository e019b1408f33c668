const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
};

/**
 * Two projects: everything but the browser, run in parallel; and the browser journeys, which drive
 * Chromium and are run one file at a time with a longer timeout (`npm run test:browser`), so a loaded
 * machine slows them down rather than failing them.
 *
 * @type {import('jest').Config}
 */
module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'main',
      roots: ['<rootDir>/src', '<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.browser\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'browser',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.browser.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/browser-timeout.ts'],
    },
  ],
};
