// eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest reads this file as CommonJS.
const os = require('node:os');

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
 * Three projects: everything but the browser and the faults, run in parallel; the browser journeys, which
 * drive Chromium and are run one file at a time with a longer timeout (`npm run test:browser`), so a loaded
 * machine slows them down rather than failing them; and the fault suite (`npm run test:faults`), real server
 * processes killed, stopped and loaded on clusters of their own, one file at a time with the same timeout.
 *
 * @type {import('jest').Config}
 */
module.exports = {
  // The main project's files spend much of their time waiting on PostgreSQL: two workers at least, even on
  // two CPUs, halve its run (the browser journeys and the fault suite run in band, --runInBand).
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'main',
      roots: ['<rootDir>/src', '<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '\\.browser\\.test\\.ts$',
        '\\.fault\\.test\\.ts$',
        ...(process.env.SKIP_FUZZ ? ['/fuzz[^/]*\\.test\\.ts$'] : []),
      ],
    },
    {
      ...shared,
      displayName: 'browser',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.browser.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/browser-timeout.ts'],
    },
    {
      ...shared,
      displayName: 'faults',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.fault.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/fault-timeout.ts'],
    },
  ],
};
