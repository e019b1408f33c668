import { execFileSync } from 'node:child_process';
import { ROOT_DIR } from '../src/paths';
import { benchStartup } from './startup';

/** Runs every benchmark against a fresh build and prints its figures. */
async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT_DIR, stdio: 'inherit' });
  await benchStartup();
}

void main();
