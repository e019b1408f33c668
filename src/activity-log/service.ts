import type { Database, Executor } from '../db/transaction';
import type { Actor } from './actor';
import type { AuditAction, ViewedRecordType } from './actions';
import { readableEvents } from './readable';
import { recordLabelRepository } from './record-label-repository';
import { auditEventRepository, type AuditEventFilter, type NewAuditEvent } from './repository';

export type ActivityLog = ReturnType<typeof createActivityLog>;

export function createActivityLog(db: Database) {
  return {
    /**
     * Records a change. Pass the transaction that makes the change, so both commit or neither does. Only
     * actions with wording (src/activity-log/actions.ts) can be recorded.
     */
    record(tx: Executor, actor: Actor, event: NewAuditEvent & { action: AuditAction }): Promise<void> {
      return auditEventRepository.insert(tx, actor, event);
    },

    /**
     * The record of a change as SQL, for a single statement that makes the change too (so both commit or
     * neither does, in one round trip): recorded once per row of `source`, a CTE of that statement.
     */
    recordFrom(source: string, actor: Actor, event: NewAuditEvent & { action: AuditAction }) {
      return auditEventRepository.insertFrom(source, actor, event);
    },

    /** Records several changes by one actor at once (a sweep's), in the transaction that makes them. */
    recordAll(
      tx: Executor,
      actor: Actor,
      events: readonly (NewAuditEvent & { action: AuditAction })[],
    ): Promise<void> {
      return auditEventRepository.insertAll(tx, actor, events);
    },

    /** Records that case-level data was viewed; awaited before the data is sent. */
    recordView(actor: Actor, recordType: ViewedRecordType, recordId: string | number): Promise<void> {
      return auditEventRepository.insert(db.executor, actor, {
        action: `${recordType}.view`,
        recordType,
        recordId,
      });
    },

    list(filter: AuditEventFilter) {
      return auditEventRepository.list(db.executor, filter);
    },

    /** A page of events in words, each with a link to its record where it has a page. */
    async listReadable(filter: AuditEventFilter) {
      const { events, total } = await auditEventRepository.list(db.executor, filter);
      const labels = await recordLabelRepository.labels(db.executor, events);
      return { events: readableEvents(events, labels), total };
    },

    /** What happened to these records, in words, oldest first: a record's timeline (views left out). */
    async timeline(records: Parameters<typeof auditEventRepository.changesTo>[1]) {
      const events = await auditEventRepository.changesTo(db.executor, records);
      const labels = await recordLabelRepository.labels(db.executor, events);
      return readableEvents(events, labels);
    },

    actions() {
      return auditEventRepository.actions(db.executor);
    },
  };
}
