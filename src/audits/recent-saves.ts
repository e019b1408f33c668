import type { AuditState } from './repository';

/** What a draft save needs of an audit this server has just saved, instead of reading it again. */
export interface KnownAudit extends Pick<
  AuditState,
  'version' | 'revision' | 'frameworkId' | 'frameworkVersion'
> {
  auditorUserId: number;
}

const MAX_AUDITS = 10_000;

/**
 * The audits this server saved drafts of lately, each as it was left: the version it was saved to, its
 * revision, auditor and framework. A save sent from that very version needs no read first: the save's
 * statement checks the version, revision and auditor again, so an entry can only make a save fall back to
 * the read, never go wrong. Kept in this process only; the oldest are forgotten first.
 */
export function createRecentSaves(max = MAX_AUDITS) {
  const byAudit = new Map<number, KnownAudit>();
  return {
    /** The audit as this server left it, if it left it at `version`. */
    at(id: number, version: number): KnownAudit | undefined {
      const known = byAudit.get(id);
      return known?.version === version ? known : undefined;
    },
    remember(id: number, known: KnownAudit): void {
      byAudit.delete(id);
      if (byAudit.size >= max) byAudit.delete(byAudit.keys().next().value as number);
      byAudit.set(id, known);
    },
  };
}
