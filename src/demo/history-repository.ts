import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

/** How far back one history audit is moved: whole days, for what happened at each step of it. */
export interface AuditShift {
  auditId: number;
  /** Its sampling, allocation, submission and moderation, and its remediation record's opening. */
  submittedDays: number;
  /** The management response and the actions being set. */
  respondedDays: number;
  /** The actions' completion and verification, the record's closing, and the re-audit's scheduling. */
  closedDays: number;
  /** The re-audit's submission, when it was done: never later than its scheduling. */
  reauditedDays: number | null;
}

const back = (column: string, days: string) => `${column} = ${column} - ${days} * interval '1 day'`;

/**
 * Moves the audits `audits` selects (SQL with one placeholder, bound to `id`) back: their sampling and
 * allocation (and due date, when asked) by `sampledDays`, their revisions and moderation by `submittedDays`.
 */
async function moveAudits(
  ex: Executor,
  audits: string,
  id: number,
  days: { sampledDays: number; submittedDays: number; dueDate?: boolean },
): Promise<void> {
  const k = knexOf(ex);
  const { sampledDays: a, submittedDays: d } = days;
  const due = days.dueDate ? `, ${back('due_date', '?')}` : '';
  await k.raw(`update audit set ${back('created_at', '?')}${due} where id in (${audits})`, [
    ...(days.dueDate ? [a, a] : [a]),
    id,
  ]);
  await k.raw(`update audit_allocation set ${back('allocated_at', '?')} where audit_id in (${audits})`, [
    a,
    id,
  ]);
  await k.raw(
    `update audit_revision set ${back('created_at', '?')}, ${back('updated_at', '?')},
       ${back('submitted_at', '?')} where audit_id in (${audits})`,
    [d, d, d, id],
  );
  await k.raw(
    `update moderation set ${back('created_at', '?')}, ${back('graded_at', '?')}, ${back('completed_at', '?')}
      where audit_revision_id in (select id from audit_revision where audit_id in (${audits}))`,
    [d, d, d, id],
  );
}

/**
 * The demo's history, written as if it had happened on earlier days: the one place where the demo moves
 * timestamps a real service only ever gets by time passing. Rows keep their order (created, submitted,
 * moderated, responded, closed) because each step moves back no further than the one before.
 */
export const historyRepository = {
  /** Each team's manager (the first of its staff in the demo) and whether they have an account yet. */
  async teamManagers(
    ex: Executor,
    refs: readonly { teamCode: string; personRef: string }[],
  ): Promise<{ teamId: number; personId: number; displayName: string; email: string | null }[]> {
    const k = knexOf(ex);
    const rows = await k('team as t')
      .join(
        k.raw(
          `(values ${refs.map(() => '(?, ?)').join(', ')}) as r(team_code, person_ref)`,
          refs.flatMap((r) => [r.teamCode, r.personRef]),
        ),
        'r.team_code',
        't.code',
      )
      .join('person as p', 'p.external_ref', 'r.person_ref')
      .select('t.id as teamId', 'p.id as personId', 'p.display_name as displayName', 'p.email');
    return rows as { teamId: number; personId: number; displayName: string; email: string | null }[];
  },

  /**
   * Lets `work` move submitted revisions' times, which the database otherwise refuses (a submitted revision
   * is never changed): the guard is lifted inside the transaction only and put back before it commits, so
   * no other session ever sees it lifted (they wait for the table's lock).
   */
  async withSubmittedTimesMovable<T>(tx: Executor, work: () => Promise<T>): Promise<T> {
    const k = knexOf(tx);
    await k.raw('alter table audit_revision disable trigger audit_revision_immutable_when_submitted');
    const result = await work();
    await k.raw('alter table audit_revision enable trigger audit_revision_immutable_when_submitted');
    return result;
  },

  /** Moves one audit's story back: sampled and submitted, moderated, answered, closed. */
  async shiftAudit(ex: Executor, shift: AuditShift): Promise<void> {
    const k = knexOf(ex);
    const { auditId, submittedDays: s, respondedDays: r, closedDays: c } = shift;
    await moveAudits(ex, 'select ?::int', auditId, { sampledDays: s, submittedDays: s });
    await k.raw(
      `update remediation_record set ${back('created_at', '?')}, ${back('responded_at', '?')},
         ${back('closed_at', '?')} where audit_id = ?`,
      [s, r, c, auditId],
    );
    await k.raw(
      `update remediation_action set ${back('created_at', '?')}, ${back('updated_at', '?')},
         ${back('verified_at', '?')} where record_id in (select id from remediation_record where audit_id = ?)`,
      [r, c, c, auditId],
    );
  },

  /**
   * Moves a closed record's deadlines back with its opening (it was set and met then), and its re-audit:
   * scheduled when the record closed, and submitted `reauditedDays` ago.
   */
  async shiftClosedRecord(ex: Executor, shift: AuditShift): Promise<void> {
    const k = knexOf(ex);
    const { auditId, submittedDays: s, closedDays: c, reauditedDays } = shift;
    const record = 'select id from remediation_record where audit_id = ?';
    await k.raw(
      `update remediation_record set ${back('response_due', '?')}, ${back('completion_due', '?')}
        where audit_id = ? and status = 'closed'`,
      [s, s, auditId],
    );
    await k.raw(
      `update remediation_action set ${back('due_date', '?')} where record_id in (${record}) and status = 'verified'`,
      [s, auditId],
    );
    if (reauditedDays === null) return;
    await moveAudits(ex, `select id from audit where remediation_record_id in (${record})`, auditId, {
      sampledDays: c,
      submittedDays: reauditedDays,
      dueDate: true,
    });
  },

  /** The newest notification's id: the history's own are those made after it. */
  async lastNotificationId(ex: Executor): Promise<number> {
    const row = await knexOf(ex)('notification').max<{ max: number | null }>('id as max').first();
    return row?.max ?? 0;
  },

  /**
   * The history's emails as sent when they were made (as the outbox): they are news of the past, and
   * nobody is emailed about it now. Except `keep` (the ready pack's news, which is today's).
   */
  async markSentAfter(ex: Executor, afterId: number, keep: readonly string[]): Promise<void> {
    await knexOf(ex)('notification')
      .where('id', '>', afterId)
      .whereNull('sent_at')
      .whereNotIn('kind', keep)
      .update({ sent_at: knexOf(ex).ref('created_at'), transport: 'outbox' });
  },

  /** A round of the past: planned before its month, due at its end, closed just after. */
  async dateRound(
    ex: Executor,
    roundId: number,
    dates: { createdOn: string; dueOn: string; closedOn: string | null },
  ): Promise<void> {
    await knexOf(ex).raw(`update audit set due_date = ?::date where round_id = ?`, [dates.dueOn, roundId]);
    await knexOf(ex).raw(
      `update audit_round set created_at = (?::date + created_at::time) at time zone 'Europe/London',
         due_date = ?::date,
         closed_at = case when closed_at is null then null
                          else (?::date + closed_at::time) at time zone 'Europe/London' end
        where id = ?`,
      [dates.createdOn, dates.dueOn, dates.closedOn ?? dates.dueOn, roundId],
    );
  },
};
