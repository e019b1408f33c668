import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { firstClosedDirectory } from '../../src/db/embedded-access';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'case-audit-closed-'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

describe('directories the postgres system user may not enter', () => {
  it('names the first one on the way down, and none once it is opened', async () => {
    const inside = path.join(base, 'a', 'b');
    await mkdir(inside, { recursive: true });
    const above = await firstClosedDirectory(path.dirname(base));
    await chmod(base, 0o700);
    expect(await firstClosedDirectory(inside)).toBe(above ?? base);
    expect(await firstClosedDirectory(path.join(inside, 'not-yet'))).toBe(above ?? base);
    await chmod(base, 0o755);
    expect(await firstClosedDirectory(inside)).toBe(above);
  });
});

// As root, PostgreSQL runs as the `postgres` system user: a data directory it cannot reach is refused with
// a message saying which directory and what to do, instead of a spawn error that kills the process.
const asRoot = process.getuid?.() === 0 ? it : it.skip;
describe('starting the embedded database as root', () => {
  asRoot('refuses a data directory below one the postgres user may not enter, saying which', async () => {
    await chmod(base, 0o700);
    const logger = createLogger('silent');
    const started = startEmbeddedPostgres({ dataDir: path.join(base, 'data'), logger });
    await expect(started).rejects.toThrow(`may not enter ${base}`);
    await expect(started).rejects.toThrow(/set DATABASE_URL/);
  });
});
