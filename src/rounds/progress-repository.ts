import { knexOf } from '../db/query';
import type { TeamScope } from '../auth/scope';
import { applyCaseScope } from '../db/scope';
import type { Executor } from '../db/transaction';

/** What an audit has found so far: its latest submitted overall grade and the moderation of that revision. */
export interface AuditFindingRow {
  auditId: number;
  overallGrade: string | null;
  /** The overall grade a completed moderation agreed. */
  agreedGrade: string | null;
  moderationStatus: 'queued' | 'graded' | 'completed' | 'cancelled' | null;
  blind: boolean | null;
}

/** A round's counts by status, in the teams in scope (the rounds list). */
export interface RoundCounts {
  roundId: number;
  total: number;
  unallocated: number;
  allocated: number;
  inProgress: number;
  submitted: number;
  cancelled: number;
  /** Audits carried over from the round to another when it closed. */
  carriedOver: number;
}

/** What closing a round needs to know of it, read under a lock so two closings cannot both go ahead. */
export interface RoundToClose {
  id: number;
  name: string;
  status: 'open' | 'closed';
  frameworkVersionId: number;
  closedAt: Date | null;
  closedByName: string | null;
}

/** An open round the unsubmitted audits of another may be carried over to. */
export interface CarryOverTarget {
  id: number;
  name: string;
  dueDate: string;
}

const UNSUBMITTED = ['unallocated', 'allocated', 'in_progress'];

export const roundProgressRepository = {
  /** For each audit of the round in scope, the latest submitted overall grade and its moderation. */
  async findings(ex: Executor, roundId: number, scope: TeamScope): Promise<AuditFindingRow[]> {
    const query = knexOf(ex)('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .joinRaw(
        `join lateral (select r.id, r.overall_grade from audit_revision r
          where r.audit_id = a.id and r.status = 'submitted' order by r.revision desc limit 1) rv on true`,
      )
      .leftJoin('moderation as m', 'm.audit_revision_id', 'rv.id')
      .leftJoin('moderation_grade as mg', function () {
        this.on('mg.moderation_id', 'm.id').andOnVal('mg.section_id', 'overall');
      })
      .where('a.round_id', roundId)
      .where('a.status', 'submitted')
      .select(
        'a.id as auditId',
        'rv.overall_grade as overallGrade',
        knexOf(ex).raw(`case when m.status = 'completed' then mg.agreed_grade end as "agreedGrade"`),
        'm.status as moderationStatus',
        'm.blind',
      );
    return (await applyCaseScope(query, scope, 'c.team_id', 'c')) as AuditFindingRow[];
  },

  /** Each round's audits counted by status, in scope, with those carried over from it. */
  async counts(ex: Executor, scope: TeamScope): Promise<RoundCounts[]> {
    const status = (s: string, as: string) =>
      knexOf(ex).raw('(count(*) filter (where a.status = ? and a.round_id = r.id))::int as ??', [s, as]);
    const query = knexOf(ex)('audit_round as r')
      .join('audit as a', function () {
        this.on('a.round_id', 'r.id').orOn('a.carried_over_from_round_id', 'r.id');
      })
      .join('case_record as c', 'c.id', 'a.case_id')
      .groupBy('r.id')
      .select(
        'r.id as roundId',
        knexOf(ex).raw('(count(*) filter (where a.round_id = r.id))::int as total'),
        status('unallocated', 'unallocated'),
        status('allocated', 'allocated'),
        status('in_progress', 'inProgress'),
        status('submitted', 'submitted'),
        status('cancelled', 'cancelled'),
        knexOf(ex).raw('(count(*) filter (where a.round_id <> r.id))::int as "carriedOver"'),
      );
    return (await applyCaseScope(query, scope, 'c.team_id', 'c')) as RoundCounts[];
  },

  /** The round, as closing needs it; `lock`ed (in a transaction) until the transaction ends. */
  async forClosing(ex: Executor, id: number, lock = false): Promise<RoundToClose | undefined> {
    const query = knexOf(ex)('audit_round as r')
      .leftJoin('app_user as u', 'u.id', 'r.closed_by_user_id')
      .where('r.id', id);
    if (lock) query.forUpdate('r');
    const row: unknown = await query.first(
      'r.id',
      'r.name',
      'r.status',
      'r.framework_version_id as frameworkVersionId',
      'r.closed_at as closedAt',
      'u.display_name as closedByName',
    );
    return row as RoundToClose | undefined;
  },

  /** How many of the round's audits are not yet submitted. */
  async unsubmittedCount(ex: Executor, roundId: number): Promise<number> {
    const row: unknown = await knexOf(ex)('audit')
      .where('round_id', roundId)
      .whereIn('status', UNSUBMITTED)
      .first(knexOf(ex).raw('count(*)::int as n'));
    return (row as { n: number }).n;
  },

  /** Open rounds, other than this one, of the same framework version: where its open audits can go. */
  async carryOverTargets(
    ex: Executor,
    roundId: number,
    frameworkVersionId: number,
  ): Promise<CarryOverTarget[]> {
    return knexOf(ex)('audit_round')
      .where({ status: 'open', framework_version_id: frameworkVersionId })
      .whereNot('id', roundId)
      .orderBy('id', 'desc')
      .select('id', 'name', 'due_date as dueDate') as Promise<CarryOverTarget[]>;
  },

  /** Case references of the round's unsubmitted audits whose child the other round already audits. */
  async alreadyIn(ex: Executor, roundId: number, otherRoundId: number): Promise<string[]> {
    return knexOf(ex)('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .where('a.round_id', roundId)
      .whereIn('a.status', UNSUBMITTED)
      .whereIn(
        'c.case_ref',
        knexOf(ex)('audit as o')
          .join('case_record as oc', 'oc.id', 'o.case_id')
          .where('o.round_id', otherRoundId)
          .select('oc.case_ref'),
      )
      .orderBy('c.case_ref')
      .pluck('c.case_ref') as Promise<string[]>;
  },

  /** Cancels the round's unsubmitted audits with the reason; returns their ids. */
  async cancelUnsubmitted(
    ex: Executor,
    roundId: number,
    reason: string,
    userId: number | null,
  ): Promise<number[]> {
    const rows = await knexOf(ex)('audit')
      .where('round_id', roundId)
      .whereIn('status', UNSUBMITTED)
      .update({
        status: 'cancelled',
        cancelled_reason: reason,
        cancelled_at: knexOf(ex).fn.now(),
        cancelled_by_user_id: userId,
        lock_version: knexOf(ex).raw('lock_version + 1'),
      })
      .returning<{ id: number }[]>('id');
    return rows.map((r) => r.id).sort((a, b) => a - b);
  },

  /**
   * Moves the round's unsubmitted audits, with their drafts and allocations, to the other round, due when
   * it is due; returns their ids.
   */
  async carryOver(ex: Executor, roundId: number, to: CarryOverTarget): Promise<number[]> {
    const rows = await knexOf(ex)('audit')
      .where('round_id', roundId)
      .whereIn('status', UNSUBMITTED)
      .update({
        round_id: to.id,
        carried_over_from_round_id: roundId,
        due_date: to.dueDate,
        lock_version: knexOf(ex).raw('lock_version + 1'),
      })
      .returning<{ id: number }[]>('id');
    return rows.map((r) => r.id).sort((a, b) => a - b);
  },

  async markClosed(
    ex: Executor,
    roundId: number,
    closing: {
      userId: number | null;
      outcome: 'none' | 'cancelled' | 'carried_over';
      toRoundId: number | null;
    },
  ): Promise<void> {
    await knexOf(ex)('audit_round')
      .where('id', roundId)
      .update({
        status: 'closed',
        closed_at: knexOf(ex).fn.now(),
        closed_by_user_id: closing.userId,
        unsubmitted_outcome: closing.outcome,
        carried_over_to_round_id: closing.toRoundId,
      });
  },
};
