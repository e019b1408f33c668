import { rm } from 'node:fs/promises';
import { getTestState } from './state';

export default async function globalTeardown(): Promise<void> {
  const state = getTestState();
  if (!state) return;
  await state.embedded.stop();
  await rm(state.dataDir, { recursive: true, force: true });
}
