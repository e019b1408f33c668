import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../paths';

export interface AppInfo {
  name: string;
  version: string;
  gitCommit: string;
  node: string;
  startedAt: string;
}

function gitCommitOf(dir: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: dir,
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

/** Read once at boot: GIT_COMMIT (set in the Docker image), else the working copy's HEAD. */
export function readAppInfo(gitCommit: string | undefined): AppInfo {
  const pkg = JSON.parse(readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return {
    name: pkg.name,
    version: pkg.version,
    gitCommit: gitCommit ?? gitCommitOf(ROOT_DIR),
    node: process.version,
    startedAt: new Date().toISOString(),
  };
}
