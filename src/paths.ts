import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project root: the nearest folder above this file holding package.json, from `src/` or `dist/src/`. */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const ROOT_DIR = findRoot(__dirname);
export const TEMPLATES_DIR = path.join(ROOT_DIR, 'templates');
export const PUBLIC_DIR = path.join(ROOT_DIR, 'public');
export const FRAMEWORKS_DIR = path.join(ROOT_DIR, 'audit-frameworks');
/** Compiled migrations sit beside compiled code (dist/migrations); sources in migrations/. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');
