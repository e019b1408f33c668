import type { Executor } from '../db/transaction';
import { auditRepository } from './repository';

/**
 * What other features may read of audits, in the caller's transaction or on the pool: moderation reads the
 * audit it moderates and the submitted revision. Only the audits feature changes audits.
 */
export const auditsReadModel = {
  find: (ex: Executor, id: number) => auditRepository.find(ex, id),
  findRevision: (ex: Executor, auditId: number, revision: number) =>
    auditRepository.findRevision(ex, auditId, revision),
};

export type AuditsReadModel = typeof auditsReadModel;
