import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';
import { startFuzzTally } from './fuzz-tally';
import { setTestState } from './state';

/**
 * Tests use TEST_DATABASE_URL or DATABASE_URL when set (a server where the role may CREATE DATABASE).
 * Otherwise they start a throwaway embedded PostgreSQL, shared by every test file of the run.
 */
export default async function globalSetup(): Promise<void> {
  startFuzzTally();
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (url) {
    process.env.TEST_DATABASE_URL = url;
    return;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'case-audit-test-'));
  // PostgreSQL runs as the `postgres` user when tests run as root: it must be able to enter the folder.
  await chmod(dataDir, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir, logger: createLogger('warn'), fast: true });
  process.env.TEST_DATABASE_URL = embedded.url;
  setTestState({ embedded, dataDir });
}
