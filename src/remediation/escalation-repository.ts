import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

export type EscalationStep = 'head_of_service' | 'director';

/** An open record that is overdue today, and how far its escalation has gone. */
export interface OverdueRecord {
  id: number;
  teamId: number;
  responseOverdue: boolean;
  overdueActions: number;
  /** No action set, and the completion date has passed. */
  nothingSet: boolean;
  /** The UK day it went to the head of service, if it has. */
  headEscalatedOn: string | null;
  directorEscalated: boolean;
}

/** One step of a record's escalation: to whom it went, and what was overdue. */
export interface EscalationStepInput {
  recordId: number;
  step: EscalationStep;
  recipientUserIds: readonly number[];
  overdue: OverdueParts;
}

/** What was overdue when a step was taken. */
export interface OverdueParts {
  response: boolean;
  actions: number;
  nothingSet: boolean;
}

export const escalationRepository = {
  /** Open records overdue on `today`: a required response, an unfinished action, or no action at all. */
  async overdue(ex: Executor, today: string): Promise<OverdueRecord[]> {
    // Its correlated subqueries make the planner's estimate high enough to JIT-compile the query, which
    // costs more than it saves on a query this short.
    return knexOf(ex).transaction(async (tx) => {
      await tx.raw('set local jit = off');
      const { rows } = await tx.raw<{ rows: OverdueRecord[] }>(
        `select * from (
         select r.id, r.team_id as "teamId",
                (r.response_required and r.response is null and r.response_due < :today) as "responseOverdue",
                (select count(*)::int from remediation_action x where x.record_id = r.id
                   and x.status in ('open', 'in_progress') and x.due_date < :today) as "overdueActions",
                (r.completion_due < :today
                   and not exists (select 1 from remediation_action x where x.record_id = r.id)) as "nothingSet",
                (select to_char(e.created_at at time zone 'Europe/London', 'YYYY-MM-DD') from remediation_escalation e
                   where e.record_id = r.id and e.step = 'head_of_service') as "headEscalatedOn",
                exists (select 1 from remediation_escalation e
                   where e.record_id = r.id and e.step = 'director') as "directorEscalated"
           from remediation_record r
          where r.status = 'open') o
        where o."responseOverdue" or o."overdueActions" > 0 or o."nothingSet"
        order by o.id`,
        { today },
      );
      return rows;
    });
  },

  /**
   * Records steps of escalation, each once, in one statement: those recorded now, in the order given;
   * a step already recorded (by an earlier run, or one running at the same time) is left out.
   */
  async escalateAll(ex: Executor, steps: readonly EscalationStepInput[]): Promise<EscalationStepInput[]> {
    if (steps.length === 0) return [];
    const rows = await knexOf(ex)('remediation_escalation')
      .insert(
        steps.map((s) => ({
          record_id: s.recordId,
          step: s.step,
          recipient_user_ids: s.recipientUserIds,
          overdue: JSON.stringify(s.overdue),
        })),
      )
      .onConflict(['record_id', 'step'])
      .ignore()
      .returning<{ record_id: number; step: EscalationStep }[]>(['record_id', 'step']);
    const recorded = new Set(rows.map((r) => `${r.record_id} ${r.step}`));
    return steps.filter((s) => recorded.has(`${s.recordId} ${s.step}`));
  },

  /** How many open records have gone to this user at this step. */
  async countFor(ex: Executor, userId: number, step: EscalationStep): Promise<number> {
    const row = await knexOf(ex)('remediation_escalation as e')
      .join('remediation_record as r', 'r.id', 'e.record_id')
      .where('r.status', 'open')
      .where('e.step', step)
      .whereRaw('? = any(e.recipient_user_ids)', [userId])
      .first<{ n: number } | undefined>(knexOf(ex).raw('count(*)::int as n'));
    return row?.n ?? 0;
  },
};
