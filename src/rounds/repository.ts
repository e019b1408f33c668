import type { Executor } from '../db/transaction';
import type { Exclusions, RoundFilters } from './types';

/** A case that passed the filters, with what the exclusions and allocation need to know. */
export interface PopulationRow {
  id: number;
  caseRef: string;
  teamId: number;
  caseType: string;
  workerPersonId: number | null;
  managerPersonId: number | null;
  closed: boolean;
  restricted: boolean;
  recentlyAudited: boolean;
  inOtherOpenRound: boolean;
}

const ROUND_COLUMNS = [
  'r.id',
  'r.name',
  'r.status',
  'r.due_date as dueDate',
  'r.created_at as createdAt',
  'r.import_id as importId',
  'r.seed',
  'v.framework_id as frameworkId',
  'v.version as frameworkVersion',
  'v.title as frameworkTitle',
];

export const roundRepository = {
  /**
   * The filtered population of an import, in id order (the order sampling depends on), each case flagged
   * with the exclusions it meets. Audited and open-round checks match children by reference across imports.
   */
  async population(
    ex: Executor,
    importId: number,
    filters: RoundFilters,
    exclusions: Exclusions,
  ): Promise<PopulationRow[]> {
    const query = ex('case_record as c')
      .join('team as t', 't.id', 'c.team_id')
      .leftJoin('person as w', 'w.id', 'c.worker_id')
      .where('c.import_id', importId)
      .select(
        'c.id',
        'c.case_ref as caseRef',
        'c.team_id as teamId',
        'c.case_type as caseType',
        'c.worker_id as workerPersonId',
        'w.line_manager_id as managerPersonId',
        'c.closed',
        'c.restricted',
        ex.raw(
          exclusions.auditedWithinMonths === null
            ? 'false as "recentlyAudited"'
            : `exists (select 1 from audit a join case_record ac on ac.id = a.case_id
                       where ac.case_ref = c.case_ref and a.created_at > now() - make_interval(months => ?)) as "recentlyAudited"`,
          exclusions.auditedWithinMonths === null ? [] : [exclusions.auditedWithinMonths],
        ),
        ex.raw(`exists (select 1 from audit a join audit_round r on r.id = a.round_id and r.status = 'open'
                        join case_record oc on oc.id = a.case_id where oc.case_ref = c.case_ref) as "inOtherOpenRound"`),
      )
      .orderBy('c.id');
    if (filters.caseTypes?.length) query.whereIn('c.case_type', filters.caseTypes);
    if (filters.teamIds?.length) query.whereIn('c.team_id', filters.teamIds);
    if (filters.localityIds?.length) query.whereIn('t.locality_id', filters.localityIds);
    if (filters.categoriesOfAbuse?.length) query.whereIn('c.category_of_abuse', filters.categoriesOfAbuse);
    if (filters.placementTypes?.length) query.whereIn('c.placement_type', filters.placementTypes);
    if (filters.legalStatuses?.length) query.whereIn('c.legal_status', filters.legalStatuses);
    if (filters.disability?.length) query.whereIn('c.disability', filters.disability);
    if (filters.uasc !== undefined) query.where('c.uasc', filters.uasc);
    if (filters.missingEpisodes) query.where('c.missing_episodes', '>', 0);
    if (filters.ageMin !== undefined) query.where('c.age_years', '>=', filters.ageMin);
    if (filters.ageMax !== undefined) query.where('c.age_years', '<=', filters.ageMax);
    return (await query) as PopulationRow[];
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
      userId: number | null;
    },
  ): Promise<number> {
    const [row] = await ex('audit_round')
      .insert({
        name: round.name,
        framework_version_id: round.frameworkVersionId,
        import_id: round.importId,
        plan: JSON.stringify(round.plan),
        seed: round.seed,
        due_date: round.dueDate,
        summary: JSON.stringify(round.summary),
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
      const rows = await ex('audit')
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
      await ex('audit_allocation').insert(
        rows.map((r) => ({ audit_id: r.id, auditor_user_id: r.auditor_user_id })),
      );
    }
  },

  async listRounds(ex: Executor): Promise<RoundSummary[]> {
    return ex('audit_round as r')
      .join('framework_version as v', 'v.id', 'r.framework_version_id')
      .select(
        ...ROUND_COLUMNS,
        ex.raw('(select count(*) from audit a where a.round_id = r.id)::int as "auditCount"'),
        ex.raw(
          `(select count(*) from audit a where a.round_id = r.id and a.status = 'unallocated')::int as "unallocatedCount"`,
        ),
      )
      .orderBy('r.id', 'desc') as Promise<RoundSummary[]>;
  },

  async findRound(
    ex: Executor,
    id: number,
  ): Promise<(RoundSummary & { plan: unknown; summary: unknown }) | undefined> {
    const rounds = await ex('audit_round as r')
      .join('framework_version as v', 'v.id', 'r.framework_version_id')
      .where('r.id', id)
      .select(...ROUND_COLUMNS, 'r.plan', 'r.summary');
    return rounds[0] as (RoundSummary & { plan: unknown; summary: unknown }) | undefined;
  },

  /** The audits of a round, or of an auditor (allocated to them), with the case facts an auditor may see. */
  async audits(
    ex: Executor,
    where: { roundId?: number; auditorUserId?: number; auditId?: number },
  ): Promise<AuditRow[]> {
    const query = ex('audit as a')
      .join('audit_round as r', 'r.id', 'a.round_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('team as t', 't.id', 'c.team_id')
      .join('framework_version as v', 'v.id', 'a.framework_version_id')
      .leftJoin('person as w', 'w.id', 'c.worker_id')
      .leftJoin('app_user as u', 'u.id', 'a.auditor_user_id')
      .select(
        'a.id',
        'a.round_id as roundId',
        'r.name as roundName',
        'a.case_id as caseId',
        'c.case_ref as caseRef',
        'c.case_type as caseType',
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
      )
      .orderBy(['a.due_date', 'a.id']);
    if (where.roundId !== undefined) query.where('a.round_id', where.roundId);
    if (where.auditorUserId !== undefined)
      query.where('a.auditor_user_id', where.auditorUserId).where('r.status', 'open');
    if (where.auditId !== undefined) query.where('a.id', where.auditId);
    return (await query) as AuditRow[];
  },

  async reallocate(
    ex: Executor,
    auditId: number,
    auditorUserId: number | null,
    byUserId: number | null,
    reason: string,
  ): Promise<void> {
    await ex('audit')
      .where({ id: auditId })
      .update({
        auditor_user_id: auditorUserId,
        status: auditorUserId === null ? 'unallocated' : 'allocated',
      });
    await ex('audit_allocation').insert({
      audit_id: auditId,
      auditor_user_id: auditorUserId,
      allocated_by_user_id: byUserId,
      reason,
    });
  },

  async allocationHistory(ex: Executor, auditId: number) {
    return ex('audit_allocation as h')
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
  frameworkId: string;
  frameworkVersion: string;
  frameworkTitle: string;
  auditCount?: number;
  unallocatedCount?: number;
}

export interface AuditRow {
  id: number;
  roundId: number;
  roundName: string;
  caseId: number;
  caseRef: string;
  caseType: string;
  teamId: number;
  teamName: string;
  workerPersonId: number | null;
  managerPersonId: number | null;
  stratum: string;
  status: 'allocated' | 'unallocated';
  auditorUserId: number | null;
  auditorName: string | null;
  dueDate: string;
  frameworkId: string;
  frameworkVersion: string;
  frameworkTitle: string;
}
