import { knexOf } from '../db/query';
import type { ModerationPolicy } from '../moderation/policy';
import type { TeamScope } from '../auth/scope';
import { applyCaseScope, restrictedSeenBy } from '../db/scope';
import type { Executor } from '../db/transaction';
import type { Stratify } from '../sampling/sample';
import type { PopulationGroup } from './population';
import type { RoundFilters } from './types';

/** A team a round's filters reach, and whether it has cases in the list, and of the chosen types. */
export interface TeamCoverage {
  teamId: number;
  name: string;
  active: boolean;
  hasCases: boolean;
  hasChosenTypes: boolean;
}

/** The facts about a sampled case that its audit and its allocation need. */
export interface CaseFacts {
  id: number;
  caseRef: string;
  restricted: boolean;
  teamId: number;
  caseType: string;
  workerPersonId: number | null;
  managerPersonId: number | null;
}

/** The stratum a case falls in, as the sampling module names strata (team:<id>, type:<case type>, all). */
const STRATUM_COLUMN: Record<Stratify, { column: string; prefix: string }> = {
  team: { column: 'c.team_id', prefix: 'team:' },
  'case-type': { column: 'c.case_type', prefix: 'type:' },
  none: { column: "'all'", prefix: '' },
};

/**
 * Ids from a comma-separated list (as string_agg gives them), in ascending order unless `sort` is false
 * (when the caller joins several lists and sorts them once). Hand-parsed: for a million ids this is many
 * times faster than split and Number.
 */
export function parseIds(text: string, sort = true): Float64Array {
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) count++;
  const ids = new Float64Array(count);
  let value = 0;
  let k = 0;
  let sorted = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 44) {
      if (k > 0 && value < (ids[k - 1] as number)) sorted = false;
      ids[k++] = value;
      value = 0;
    } else {
      value = value * 10 + (code - 48);
    }
  }
  if (k > 0 && value < (ids[k - 1] as number)) sorted = false;
  ids[k] = value;
  return sorted || !sort ? ids : ids.sort();
}

/** The cases of an import that pass a round's filters. */
function filtered(ex: Executor, importId: number, filters: RoundFilters) {
  const query = knexOf(ex)('case_record as c').where('c.import_id', importId);
  if (filters.caseTypes?.length) query.whereIn('c.case_type', filters.caseTypes);
  if (filters.teamIds?.length) query.whereIn('c.team_id', filters.teamIds);
  if (filters.localityIds?.length)
    query.whereIn('c.team_id', knexOf(ex)('team').whereIn('locality_id', filters.localityIds).select('id'));
  if (filters.categoriesOfAbuse?.length) query.whereIn('c.category_of_abuse', filters.categoriesOfAbuse);
  if (filters.placementTypes?.length) query.whereIn('c.placement_type', filters.placementTypes);
  if (filters.legalStatuses?.length) query.whereIn('c.legal_status', filters.legalStatuses);
  if (filters.disability?.length) query.whereIn('c.disability', filters.disability);
  if (filters.uasc !== undefined) query.where('c.uasc', filters.uasc);
  if (filters.missingEpisodes) query.where('c.missing_episodes', '>', 0);
  if (filters.ageMin !== undefined) query.where('c.age_years', '>=', filters.ageMin);
  if (filters.ageMax !== undefined) query.where('c.age_years', '<=', filters.ageMax);
  return query;
}

const ROUND_COLUMNS = [
  'r.id',
  'r.name',
  'r.status',
  'r.due_date as dueDate',
  'r.created_at as createdAt',
  'r.import_id as importId',
  'r.seed',
  'r.moderation',
  'v.framework_id as frameworkId',
  'v.version as frameworkVersion',
  'v.title as frameworkTitle',
  'r.closed_at as closedAt',
  'cu.display_name as closedByName',
  'r.unsubmitted_outcome as unsubmittedOutcome',
  'r.carried_over_to_round_id as carriedOverToRoundId',
  'tr.name as carriedOverToRoundName',
];

/** The rounds with their framework version, who closed them and where their open audits went. */
function rounds(ex: Executor) {
  return knexOf(ex)('audit_round as r')
    .join('framework_version as v', 'v.id', 'r.framework_version_id')
    .leftJoin('app_user as cu', 'cu.id', 'r.closed_by_user_id')
    .leftJoin('audit_round as tr', 'tr.id', 'r.carried_over_to_round_id');
}

/** Audits still to be done: not submitted, not cancelled. */
export const UNSUBMITTED_STATUSES = ['unallocated', 'allocated', 'in_progress'] as const;

/**
 * How long a cancelled audit stays on its auditor's list, so that they learn why it went; and a submitted
 * re-audit, which has no round to close.
 */
const CANCELLED_SHOWN_DAYS = 30;

/** Audits an auditor has to do or has just done: in open rounds and calibrations, and re-audits. */
const OPEN_HOME = `(coalesce(r.status, x.status) = 'open'
  or (a.remediation_record_id is not null and (a.status <> 'submitted' or exists (
        select 1 from audit_revision sv where sv.audit_id = a.id and sv.status = 'submitted'
          and sv.submitted_at > now() - make_interval(days => ?)))))`;

export const roundRepository = {
  /**
   * The filtered population of an import, in groups of the cases of one stratum and team that meet the same
   * exclusions (closed, restricted, in another open round, audited recently), with the group's ids.
   * One pass over the population, in the database; only ids and flags come back, and which exclusions are
   * in force is decided by the caller (see population.ts). The recently-audited and open-round checks match
   * children by reference across imports.
   */
  async populationGroups(
    ex: Executor,
    importId: number,
    filters: RoundFilters,
    auditedWithinMonths: number | null,
    by: Stratify,
  ): Promise<PopulationGroup[]> {
    const months = auditedWithinMonths;
    const { column, prefix } = STRATUM_COLUMN[by];
    const inner = filtered(ex, importId, filters).select(
      'c.id',
      'c.team_id',
      knexOf(ex).raw(`${column} as stratum`),
      'c.closed',
      'c.restricted',
      knexOf(ex).raw(
        months === null
          ? 'false as recent'
          : `c.case_ref in (select ac.case_ref from audit a join case_record ac on ac.id = a.case_id
                            where a.created_at > now() - make_interval(months => ?) and a.status <> 'cancelled') as recent`,
        months === null ? [] : [months],
      ),
      knexOf(ex)
        .raw(`c.case_ref in (select oc.case_ref from audit a join audit_round r on r.id = a.round_id and r.status = 'open'
                             join case_record oc on oc.id = a.case_id) as open_round`),
    );
    type Row = {
      stratum: string | number;
      team_id: number;
      closed: boolean;
      restricted: boolean;
      recent: boolean;
      open_round: boolean;
      ids: string;
    };
    // One hashed pass: ids come back unordered (and from parallel workers) and are put in order here.
    // The aggregate needs more memory than the default work_mem to stay off disk; JIT compilation costs
    // more than it saves on a query this short.
    const rows = await knexOf(ex).transaction(async (tx): Promise<Row[]> => {
      await tx.raw("set local work_mem = '64MB'");
      await tx.raw('set local jit = off');
      return tx
        .from(inner.as('p'))
        .groupBy('p.stratum', 'p.team_id', 'p.closed', 'p.restricted', 'p.recent', 'p.open_round')
        .select(
          'p.stratum',
          'p.team_id',
          'p.closed',
          'p.restricted',
          'p.recent',
          'p.open_round',
          tx.raw(`string_agg(p.id::text, ',') as ids`),
        );
    });
    return rows.map((row) => ({
      stratum: `${prefix}${row.stratum}`,
      teamId: row.team_id,
      closed: row.closed,
      restricted: row.restricted,
      inOtherOpenRound: row.open_round,
      recentlyAudited: row.recent,
      // Unsorted: each stratum's lists are joined, then sorted once.
      ids: parseIds(row.ids, false),
    }));
  },

  /**
   * The teams a round's team and locality filters reach (open teams, and closed ones that still hold cases
   * in the list), each saying whether it has cases in the list and cases of the chosen types: so that a
   * preview can say why a team gets no audit. Index lookups per team, not another pass over the list.
   */
  async teamCoverage(ex: Executor, importId: number, filters: RoundFilters): Promise<TeamCoverage[]> {
    const types = filters.caseTypes?.length ? filters.caseTypes : null;
    const inList = 'select 1 from case_record c where c.import_id = ? and c.team_id = t.id';
    const query = knexOf(ex)('team as t')
      .select<TeamCoverage[]>(
        't.id as teamId',
        't.name',
        't.active',
        knexOf(ex).raw(`exists (${inList}) as "hasCases"`, [importId]),
        types
          ? knexOf(ex).raw(`exists (${inList} and c.case_type = any(?)) as "hasChosenTypes"`, [
              importId,
              types,
            ])
          : knexOf(ex).raw(`exists (${inList}) as "hasChosenTypes"`, [importId]),
      )
      .orderBy('t.name');
    if (filters.teamIds?.length) query.whereIn('t.id', filters.teamIds);
    if (filters.localityIds?.length) query.whereIn('t.locality_id', filters.localityIds);
    return (await query).filter((t) => t.active || t.hasCases);
  },

  /** The facts about these cases that audits and allocation need. */
  async caseFacts(ex: Executor, ids: readonly number[]): Promise<CaseFacts[]> {
    if (ids.length === 0) return [];
    const rows: CaseFacts[] = await knexOf(ex)('case_record as c')
      .leftJoin('person as w', 'w.id', 'c.worker_id')
      .whereIn('c.id', ids)
      .select(
        'c.id',
        'c.case_ref as caseRef',
        'c.restricted',
        'c.team_id as teamId',
        'c.case_type as caseType',
        'c.worker_id as workerPersonId',
        'w.line_manager_id as managerPersonId',
      );
    return rows;
  },

  async insertRound(
    ex: Executor,
    round: {
      name: string;
      frameworkVersionId: number;
      importId: number;
      plan: unknown;
      seed: number;
      dueDate: string;
      summary: unknown;
      moderation: ModerationPolicy;
      userId: number | null;
    },
  ): Promise<number> {
    const [row] = await knexOf(ex)('audit_round')
      .insert({
        name: round.name,
        framework_version_id: round.frameworkVersionId,
        import_id: round.importId,
        plan: JSON.stringify(round.plan),
        seed: round.seed,
        due_date: round.dueDate,
        summary: JSON.stringify(round.summary),
        moderation: JSON.stringify(round.moderation),
        created_by_user_id: round.userId,
      })
      .returning<{ id: number }[]>('id');
    if (!row) throw new Error('insert returned no id');
    return row.id;
  },

  /** Creates the round's audits and their first allocation; returns their ids by case. */
  async insertAudits(
    ex: Executor,
    roundId: number,
    frameworkVersionId: number,
    dueDate: string,
    audits: { caseId: number; stratum: string; auditorUserId: number | null }[],
  ): Promise<void> {
    for (let i = 0; i < audits.length; i += 1000) {
      const batch = audits.slice(i, i + 1000);
      const rows = await knexOf(ex)('audit')
        .insert(
          batch.map((a) => ({
            round_id: roundId,
            case_id: a.caseId,
            stratum: a.stratum,
            framework_version_id: frameworkVersionId,
            auditor_user_id: a.auditorUserId,
            status: a.auditorUserId === null ? 'unallocated' : 'allocated',
            due_date: dueDate,
          })),
        )
        .returning<{ id: number; auditor_user_id: number | null }[]>(['id', 'auditor_user_id']);
      await knexOf(ex)('audit_allocation').insert(
        rows.map((r) => ({ audit_id: r.id, auditor_user_id: r.auditor_user_id })),
      );
    }
  },

  async listRounds(ex: Executor): Promise<RoundSummary[]> {
    return rounds(ex)
      .select(
        ...ROUND_COLUMNS,
        knexOf(ex).raw('(select count(*) from audit a where a.round_id = r.id)::int as "auditCount"'),
        knexOf(ex).raw(
          `(select count(*) from audit a where a.round_id = r.id and a.status = 'unallocated')::int as "unallocatedCount"`,
        ),
      )
      .orderBy('r.id', 'desc') as Promise<RoundSummary[]>;
  },

  async setModeration(ex: Executor, id: number, policy: ModerationPolicy): Promise<boolean> {
    const changed = await knexOf(ex)('audit_round')
      .where('id', id)
      .update({ moderation: JSON.stringify(policy) });
    return changed > 0;
  },

  async findRound(
    ex: Executor,
    id: number,
  ): Promise<(RoundSummary & { plan: unknown; summary: unknown }) | undefined> {
    const found = await rounds(ex)
      .where('r.id', id)
      .select(...ROUND_COLUMNS, 'r.plan', 'r.summary');
    return found[0] as (RoundSummary & { plan: unknown; summary: unknown }) | undefined;
  },

  /**
   * The audits of a round (those carried over from it when it closed, with `carriedOverFrom`), or of an
   * auditor (in open rounds, and those cancelled lately), with the case facts an auditor may see; `scope`
   * keeps to the teams a viewer may see.
   */
  async audits(
    ex: Executor,
    where: {
      roundId?: number;
      carriedOverFrom?: number;
      auditorUserId?: number;
      auditId?: number;
      scope?: TeamScope;
    },
  ): Promise<AuditRow[]> {
    const query = knexOf(ex)('audit as a')
      .leftJoin('audit_round as r', 'r.id', 'a.round_id')
      .leftJoin('calibration_exercise as x', 'x.id', 'a.calibration_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('team as t', 't.id', 'c.team_id')
      .join('framework_version as v', 'v.id', 'a.framework_version_id')
      .leftJoin('person as w', 'w.id', 'c.worker_id')
      .leftJoin('app_user as u', 'u.id', 'a.auditor_user_id')
      .select(
        'a.id',
        'a.round_id as roundId',
        'a.calibration_id as calibrationId',
        'a.remediation_record_id as remediationRecordId',
        knexOf(ex).raw(`coalesce(r.name, x.name, 'Re-audit') as "roundName"`),
        'a.case_id as caseId',
        'c.case_ref as caseRef',
        'c.case_type as caseType',
        'c.restricted',
        'c.team_id as teamId',
        't.name as teamName',
        'c.worker_id as workerPersonId',
        'w.line_manager_id as managerPersonId',
        'a.stratum',
        'a.status',
        'a.auditor_user_id as auditorUserId',
        'u.display_name as auditorName',
        'a.due_date as dueDate',
        'v.framework_id as frameworkId',
        'v.version as frameworkVersion',
        'v.title as frameworkTitle',
        'a.cancelled_reason as cancelledReason',
        'a.cancelled_at as cancelledAt',
        'a.carried_over_from_round_id as carriedOverFromRoundId',
        'fr.name as carriedOverFromRoundName',
      )
      .leftJoin('audit_round as fr', 'fr.id', 'a.carried_over_from_round_id')
      .orderBy(['a.due_date', 'a.id']);
    if (where.roundId !== undefined) query.where('a.round_id', where.roundId);
    if (where.carriedOverFrom !== undefined)
      query
        .where('a.carried_over_from_round_id', where.carriedOverFrom)
        .whereNot('a.round_id', where.carriedOverFrom);
    if (where.auditorUserId !== undefined)
      query
        .where('a.auditor_user_id', where.auditorUserId)
        // A restricted case whose grant was taken away is no longer theirs to see.
        .whereRaw(restrictedSeenBy('c', 'a.auditor_user_id'))
        .whereRaw(
          `(${OPEN_HOME} or (a.status = 'cancelled' and a.cancelled_at > now() - make_interval(days => ?)))`,
          [CANCELLED_SHOWN_DAYS, CANCELLED_SHOWN_DAYS],
        );
    if (where.auditId !== undefined) query.where('a.id', where.auditId);
    if (where.scope) applyCaseScope(query, where.scope, 'c.team_id', 'c');
    return (await query) as AuditRow[];
  },

  /** How many audits an auditor has still to submit, how many are overdue, and the soonest due date. */
  async workload(
    ex: Executor,
    auditorUserId: number,
    today: string,
  ): Promise<{ count: number; overdue: number; nextDue: string | null }> {
    const row: unknown = await knexOf(ex)('audit as a')
      .leftJoin('audit_round as r', 'r.id', 'a.round_id')
      .leftJoin('calibration_exercise as x', 'x.id', 'a.calibration_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .where('a.auditor_user_id', auditorUserId)
      .whereRaw(restrictedSeenBy('c', 'a.auditor_user_id'))
      .whereRaw(OPEN_HOME, [CANCELLED_SHOWN_DAYS])
      .whereIn('a.status', UNSUBMITTED_STATUSES)
      .first(
        knexOf(ex).raw('count(*)::int as count'),
        knexOf(ex).raw('(count(*) filter (where a.due_date < ?))::int as overdue', [today]),
        knexOf(ex).raw('min(a.due_date) as "nextDue"'),
      );
    return row as { count: number; overdue: number; nextDue: string | null };
  },

  /** Open rounds, and their audits still to allocate. */
  async openCounts(ex: Executor): Promise<{ rounds: number; unallocated: number }> {
    const row: unknown = await knexOf(ex)('audit_round as r')
      .where('r.status', 'open')
      .first(
        knexOf(ex).raw('count(*)::int as rounds'),
        knexOf(ex).raw(
          `coalesce(sum((select count(*) from audit a where a.round_id = r.id and a.status = 'unallocated')), 0)::int as unallocated`,
        ),
      );
    return row as { rounds: number; unallocated: number };
  },

  async reallocate(
    ex: Executor,
    auditId: number,
    auditorUserId: number | null,
    byUserId: number | null,
    reason: string,
  ): Promise<void> {
    await knexOf(ex)('audit')
      .where({ id: auditId })
      .update({
        auditor_user_id: auditorUserId,
        status: auditorUserId === null ? 'unallocated' : 'allocated',
      });
    await knexOf(ex)('audit_allocation').insert({
      audit_id: auditId,
      auditor_user_id: auditorUserId,
      allocated_by_user_id: byUserId,
      reason,
    });
  },

  async allocationHistory(ex: Executor, auditId: number) {
    return knexOf(ex)('audit_allocation as h')
      .leftJoin('app_user as a', 'a.id', 'h.auditor_user_id')
      .leftJoin('app_user as b', 'b.id', 'h.allocated_by_user_id')
      .where('h.audit_id', auditId)
      .orderBy('h.id')
      .select(
        'h.allocated_at as allocatedAt',
        'a.display_name as auditorName',
        'b.display_name as byName',
        'h.reason',
      );
  },
};

export interface RoundSummary {
  id: number;
  name: string;
  status: 'open' | 'closed';
  dueDate: string;
  createdAt: Date;
  importId: number;
  seed: number;
  moderation: ModerationPolicy;
  frameworkId: string;
  frameworkVersion: string;
  frameworkTitle: string;
  auditCount?: number;
  unallocatedCount?: number;
  closedAt: Date | null;
  closedByName: string | null;
  /** What closing did with the audits not yet submitted. */
  unsubmittedOutcome: 'none' | 'cancelled' | 'carried_over' | null;
  carriedOverToRoundId: number | null;
  carriedOverToRoundName: string | null;
}

export interface AuditRow {
  id: number;
  /** The round, or empty for a calibration audit or a re-audit. */
  roundId: number | null;
  calibrationId: number | null;
  /** For a re-audit: the closed remediation record whose case it audits again. */
  remediationRecordId: number | null;
  /** The round's name, the calibration exercise's, or "Re-audit". */
  roundName: string;
  caseId: number;
  caseRef: string;
  caseType: string;
  restricted: boolean;
  teamId: number;
  teamName: string;
  workerPersonId: number | null;
  managerPersonId: number | null;
  stratum: string;
  status: 'unallocated' | 'allocated' | 'in_progress' | 'submitted' | 'cancelled';
  auditorUserId: number | null;
  auditorName: string | null;
  dueDate: string;
  frameworkId: string;
  frameworkVersion: string;
  frameworkTitle: string;
  cancelledReason: string | null;
  cancelledAt: Date | null;
  /** The closed round it was carried over from, with its draft and allocation. */
  carriedOverFromRoundId: number | null;
  carriedOverFromRoundName: string | null;
}
