import type { Database, Executor } from '../db/transaction';
import type { Actor } from './actor';
import { auditEventRepository, type AuditEventFilter, type NewAuditEvent } from './repository';

export type AuditLog = ReturnType<typeof createAuditLog>;

export function createAuditLog(db: Database) {
  return {
    /** Records a change. Pass the transaction that makes the change, so both commit or neither does. */
    record(tx: Executor, actor: Actor, event: NewAuditEvent): Promise<void> {
      return auditEventRepository.insert(tx, actor, event);
    },

    /** Records that case-level data was viewed; awaited before the data is sent. */
    recordView(actor: Actor, recordType: string, recordId: string | number): Promise<void> {
      return auditEventRepository.insert(db.executor, actor, {
        action: `${recordType}.view`,
        recordType,
        recordId,
      });
    },

    list(filter: AuditEventFilter) {
      return auditEventRepository.list(db.executor, filter);
    },

    actions() {
      return auditEventRepository.actions(db.executor);
    },
  };
}
