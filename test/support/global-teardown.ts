import { rm } from 'node:fs/promises';
import { printFuzzTally } from './fuzz-tally';
import { getTestState } from './state';

export default async function globalTeardown(): Promise<void> {
  printFuzzTally();
  const state = getTestState();
  if (!state) return;
  await state.embedded.stop();
  await rm(state.dataDir, { recursive: true, force: true });
}
