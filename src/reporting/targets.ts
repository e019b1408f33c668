import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Database } from '../db/transaction';
import { ValidationError } from '../errors';
import { MEASURES } from './measures';
import { targetRepository as repo } from './target-repository';

/** A target as typed: a percentage from 0 to 100 with at most two decimals; blank for none. */
function targetOf(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  const text =
    typeof value === 'number'
      ? String(value)
      : typeof value === 'string'
        ? value.trim().replace(/%$/, '')
        : undefined;
  if (text === undefined) return undefined;
  if (text === '') return null;
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 100 ? n : undefined;
}

export type TargetsService = ReturnType<typeof createTargetsService>;

/** The council's targets, per measure, set by admins; every change in the audit log. */
export function createTargetsService(db: Database, activityLog: ActivityLog) {
  return {
    /** Every measure with its target, or null where none is set. */
    async list() {
      const set = await repo.all(db.executor);
      return MEASURES.map((m) => ({ ...m, targetPercent: set.get(m.code) ?? null }));
    },

    /**
     * Sets the targets given (by measure code; blank or null removes one), all or none: each value is
     * checked first, and the problems name the measure.
     */
    async set(values: Record<string, unknown>, actor: Actor): Promise<void> {
      const problems: { field: string; message: string }[] = [];
      const changes: { measure: string; target: number | null }[] = [];
      for (const [measure, value] of Object.entries(values)) {
        if (!MEASURES.some((m) => m.code === measure)) {
          problems.push({ field: measure, message: 'is not a measure reports have' });
          continue;
        }
        const target = targetOf(value);
        if (target === undefined)
          problems.push({ field: measure, message: 'Enter a percentage from 0 to 100, such as 80 or 72.5' });
        else changes.push({ measure, target });
      }
      if (problems.length > 0) throw new ValidationError('The targets are not valid.', problems);
      const current = await repo.all(db.executor);
      await db.transaction(async (tx) => {
        for (const { measure, target } of changes) {
          if ((current.get(measure) ?? null) === target) continue;
          if (target === null) await repo.remove(tx, measure);
          else await repo.set(tx, measure, target, actor.userId);
          await activityLog.record(tx, actor, {
            action: 'report_target.change',
            recordType: 'report_target',
            recordId: measure,
            summary: {
              before: { targetPercent: current.get(measure) ?? null },
              after: { targetPercent: target },
            },
          });
        }
      });
    },
  };
}
