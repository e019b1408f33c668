import type { EmbeddedDatabase } from '../../src/db/embedded';

interface TestState {
  embedded: EmbeddedDatabase;
  dataDir: string;
}

const KEY = '__caseAuditTestState';

/** Jest runs global setup and teardown in one process; this carries the embedded server between them. */
export function setTestState(state: TestState): void {
  (globalThis as Record<string, unknown>)[KEY] = state;
}

export function getTestState(): TestState | undefined {
  return (globalThis as Record<string, unknown>)[KEY] as TestState | undefined;
}
