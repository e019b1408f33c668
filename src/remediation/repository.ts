import type { TeamScope } from '../auth/scope';
import { knexOf } from '../db/query';
import { applyCaseScope, applyTeamScope } from '../db/scope';
import type { Executor } from '../db/transaction';
import type { Finding } from './triggers';

export type RecordStatus = 'open' | 'closed' | 'withdrawn';
export type ActionStatus = 'open' | 'in_progress' | 'completed' | 'verified';
export type ActionKind = 'practice' | 'compliance';

export interface RemediationRecord {
  id: number;
  auditId: number;
  roundId: number;
  teamId: number;
  teamName: string;
  caseId: number;
  caseRef: string;
  caseType: string;
  /** A restricted case: see src/auth/scope.ts. */
  restricted: boolean;
  /** The allocated worker and their line manager: for the conflict-of-interest rule. */
  workerPersonId: number | null;
  managerPersonId: number | null;
  /** The auditor who graded the case: who verifies the actions. */
  auditorUserId: number | null;
  auditorName: string | null;
  frameworkId: string;
  frameworkVersion: string;
  status: RecordStatus;
  findings: Finding[];
  responseRequired: boolean;
  responseDue: string;
  completionDue: string;
  response: string | null;
  respondedByName: string | null;
  respondedAt: Date | null;
  gradeChangedAtModeration: boolean;
  withdrawnReason: string | null;
  repeatInadequate: boolean;
  closedAt: Date | null;
  version: number;
  createdAt: Date;
  /** Whether an action is completed and waiting to be verified. */
  awaitingVerification: boolean;
  /** Who has verified its actions so far. */
  verifierIds: number[];
}

export interface RemediationAction {
  id: number;
  recordId: number;
  description: string;
  intendedDifference: string;
  kind: ActionKind;
  ownerPersonId: number;
  ownerName: string;
  dueDate: string;
  dueReason: string | null;
  evidence: string | null;
  status: ActionStatus;
  verificationNote: string | null;
  verifiedByName: string | null;
  verifiedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ActionCounts {
  open: number;
  inProgress: number;
  completed: number;
  verified: number;
  overdue: number;
}

/** Which records a query returns: by status, team, overdue, and who may see them. */
export interface RecordFilter {
  status?: RecordStatus;
  teamId?: number;
  /** Only records with a response or an action past its due date. */
  overdueOn?: string;
  /** The records of audits this auditor graded. */
  auditorUserId?: number;
  /** Only records with an action completed and waiting to be verified. */
  awaitingVerification?: boolean;
}

const RECORD_COLUMNS = [
  'r.id',
  'r.audit_id as auditId',
  'a.round_id as roundId',
  'r.team_id as teamId',
  't.name as teamName',
  'c.id as caseId',
  'c.case_ref as caseRef',
  'c.case_type as caseType',
  'c.restricted',
  'c.worker_id as workerPersonId',
  'wp.line_manager_id as managerPersonId',
  'a.auditor_user_id as auditorUserId',
  'au.display_name as auditorName',
  'fv.framework_id as frameworkId',
  'fv.version as frameworkVersion',
  'r.status',
  'r.findings',
  'r.response_required as responseRequired',
  'r.response_due as responseDue',
  'r.completion_due as completionDue',
  'r.response',
  'ru.display_name as respondedByName',
  'r.responded_at as respondedAt',
  'r.grade_changed_at_moderation as gradeChangedAtModeration',
  'r.withdrawn_reason as withdrawnReason',
  'r.repeat_inadequate as repeatInadequate',
  'r.closed_at as closedAt',
  'r.version',
  'r.created_at as createdAt',
];

function selectRecords(ex: Executor) {
  return knexOf(ex)('remediation_record as r')
    .join('audit as a', 'a.id', 'r.audit_id')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('team as t', 't.id', 'r.team_id')
    .join('framework_version as fv', 'fv.id', 'a.framework_version_id')
    .leftJoin('person as wp', 'wp.id', 'c.worker_id')
    .leftJoin('app_user as au', 'au.id', 'a.auditor_user_id')
    .leftJoin('app_user as ru', 'ru.id', 'r.responded_by_user_id')
    .select<RemediationRecord[]>([
      ...RECORD_COLUMNS,
      knexOf(ex).raw(
        `exists (select 1 from remediation_action x where x.record_id = r.id and x.status = 'completed') as "awaitingVerification"`,
      ),
      knexOf(ex).raw(
        `array(select distinct x.verified_by_user_id from remediation_action x
               where x.record_id = r.id and x.verified_by_user_id is not null) as "verifierIds"`,
      ),
    ]);
}

const ACTION_COLUMNS = [
  'x.id',
  'x.record_id as recordId',
  'x.description',
  'x.intended_difference as intendedDifference',
  'x.kind',
  'x.owner_person_id as ownerPersonId',
  'p.display_name as ownerName',
  'x.due_date as dueDate',
  'x.due_reason as dueReason',
  'x.evidence',
  'x.status',
  'x.verification_note as verificationNote',
  'vu.display_name as verifiedByName',
  'x.verified_at as verifiedAt',
  'x.version',
  'x.created_at as createdAt',
  'x.updated_at as updatedAt',
];

function selectActions(ex: Executor) {
  return knexOf(ex)('remediation_action as x')
    .join('person as p', 'p.id', 'x.owner_person_id')
    .leftJoin('app_user as vu', 'vu.id', 'x.verified_by_user_id')
    .select<RemediationAction[]>(ACTION_COLUMNS);
}

/**
 * Whether a record (`r`) is overdue on a day: a required response not given by its date, an unfinished
 * action past its own due date, or no action set by the completion date. The filter, the counts and the
 * escalation sweep (escalation-repository.ts, part by part) use this one rule.
 */
const OVERDUE = `((r.response_required and r.response is null and r.response_due < ?)
  or exists (select 1 from remediation_action x where x.record_id = r.id
             and x.status in ('open', 'in_progress') and x.due_date < ?)
  or (r.completion_due < ? and not exists (select 1 from remediation_action x where x.record_id = r.id)))`;
const overdueBindings = (day: string) => [day, day, day];

/** Inserts a row and gives its id. */
async function insertRow(ex: Executor, table: string, row: Record<string, unknown>): Promise<number> {
  const [inserted] = await knexOf(ex)(table).insert(row).returning<{ id: number }[]>('id');
  return (inserted as { id: number }).id;
}

/** Changes a row if it is still at `version`, bumping it: the new version, or undefined when it was not. */
async function updateAtVersion(
  ex: Executor,
  table: string,
  id: number,
  version: number,
  changes: Record<string, unknown>,
): Promise<number | undefined> {
  const [row] = await knexOf(ex)(table)
    .where({ id, version })
    .update({ ...changes, version: version + 1 })
    .returning<{ version: number }[]>('version');
  return row?.version;
}

/** What reports count of remediation: records opened in a period, where they stand, and their actions. */
export interface RemediationReportCounts {
  opened: number;
  open: number;
  overdue: number;
  closed: number;
  withdrawn: number;
  repeatInadequate: number;
  actions: number;
  actionsVerified: number;
}

export const remediationRepository = {
  async findByAudit(ex: Executor, auditId: number, lock = false): Promise<RemediationRecord | undefined> {
    const query = selectRecords(ex).where('r.audit_id', auditId).first();
    return (lock ? query.forUpdate('r') : query) as Promise<RemediationRecord | undefined>;
  },

  async find(ex: Executor, id: number, lock = false): Promise<RemediationRecord | undefined> {
    const query = selectRecords(ex).where('r.id', id).first();
    return (lock ? query.forUpdate('r') : query) as Promise<RemediationRecord | undefined>;
  },

  /** Records in the scope (or of the auditor's audits), newest first, with the filter applied. */
  async list(ex: Executor, scope: TeamScope, filter: RecordFilter): Promise<RemediationRecord[]> {
    const query = selectRecords(ex).orderBy('r.id', 'desc');
    if (filter.auditorUserId !== undefined) query.where('a.auditor_user_id', filter.auditorUserId);
    else applyCaseScope(query, scope, 'r.team_id', 'c');
    if (filter.status) query.where('r.status', filter.status);
    if (filter.teamId !== undefined) query.where('r.team_id', filter.teamId);
    if (filter.overdueOn) query.whereRaw(OVERDUE, overdueBindings(filter.overdueOn));
    if (filter.awaitingVerification)
      query.whereRaw(
        `exists (select 1 from remediation_action x where x.record_id = r.id and x.status = 'completed')`,
      );
    return query;
  },

  async insert(
    ex: Executor,
    record: {
      auditId: number;
      teamId: number;
      findings: Finding[];
      responseRequired: boolean;
      responseDue: string;
      completionDue: string;
      repeatInadequate: boolean;
    },
  ): Promise<number> {
    return insertRow(ex, 'remediation_record', {
      audit_id: record.auditId,
      team_id: record.teamId,
      findings: JSON.stringify(record.findings),
      response_required: record.responseRequired,
      response_due: record.responseDue,
      completion_due: record.completionDue,
      repeat_inadequate: record.repeatInadequate,
    });
  },

  /** Changes a record if it is still at `version`; the new version, or undefined when it was not. */
  async update(
    ex: Executor,
    id: number,
    version: number,
    changes: Partial<{
      status: RecordStatus;
      findings: Finding[];
      responseRequired: boolean;
      responseDue: string;
      completionDue: string;
      response: string;
      respondedByUserId: number;
      gradeChangedAtModeration: boolean;
      withdrawnReason: string | null;
      closed: boolean;
    }>,
  ): Promise<number | undefined> {
    const k = knexOf(ex);
    return updateAtVersion(ex, 'remediation_record', id, version, {
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.findings ? { findings: JSON.stringify(changes.findings) } : {}),
      ...(changes.responseRequired !== undefined ? { response_required: changes.responseRequired } : {}),
      ...(changes.responseDue ? { response_due: changes.responseDue } : {}),
      ...(changes.completionDue ? { completion_due: changes.completionDue } : {}),
      ...(changes.response !== undefined
        ? {
            response: changes.response,
            responded_by_user_id: changes.respondedByUserId,
            responded_at: k.fn.now(),
          }
        : {}),
      ...(changes.gradeChangedAtModeration !== undefined
        ? { grade_changed_at_moderation: changes.gradeChangedAtModeration }
        : {}),
      ...(changes.withdrawnReason !== undefined ? { withdrawn_reason: changes.withdrawnReason } : {}),
      ...(changes.closed !== undefined ? { closed_at: changes.closed ? k.fn.now() : null } : {}),
    });
  },

  /** Whether the child (by case reference) had another record for an overall grade at the bottom of its scale in the year to `today`. */
  async earlierInadequate(ex: Executor, caseRef: string, auditId: number, today: string): Promise<boolean> {
    const row = await knexOf(ex)('remediation_record as r')
      .join('audit as a', 'a.id', 'r.audit_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .where('c.case_ref', caseRef)
      .whereNot('r.audit_id', auditId)
      .whereNot('r.status', 'withdrawn')
      // A year before today, as PostgreSQL counts it (29 February goes back to 28 February).
      .whereRaw(`r.created_at >= (?::date - interval '1 year')`, [today])
      .whereRaw(`r.findings @> '[{"sectionId": "overall", "worst": true}]'::jsonb`)
      .first<{ id: number } | undefined>('r.id');
    return row !== undefined;
  },

  /** Open, overdue and closed records in the scope: counts only. */
  async totals(
    ex: Executor,
    scope: TeamScope,
    today: string,
  ): Promise<{ open: number; overdue: number; closed: number }> {
    const query = knexOf(ex)('remediation_record as r').first<{
      open: number;
      overdue: number;
      closed: number;
    }>(
      knexOf(ex).raw(`count(*) filter (where r.status = 'open')::int as open`),
      knexOf(ex).raw(
        `count(*) filter (where r.status = 'open' and ${OVERDUE})::int as overdue`,
        overdueBindings(today),
      ),
      knexOf(ex).raw(`count(*) filter (where r.status = 'closed')::int as closed`),
    );
    return (await applyTeamScope(query, scope, 'r.team_id')) ?? { open: 0, overdue: 0, closed: 0 };
  },

  /**
   * For reports: the records opened in a period (UK dates) in scope, where they stand today, and the
   * opening and closing days of those closed, to count working days to close.
   */
  async reportFigures(
    ex: Executor,
    scope: TeamScope,
    period: { from: string; to: string },
    today: string,
  ): Promise<RemediationReportCounts & { closings: { openedOn: string; closedOn: string }[] }> {
    const k = knexOf(ex);
    const inPeriod = applyTeamScope(
      k('remediation_record as r').whereRaw(
        `(r.created_at at time zone 'Europe/London')::date between ?::date and ?::date`,
        [period.from, period.to],
      ),
      scope,
      'r.team_id',
    );
    const counts = await inPeriod.clone().first<{
      opened: number;
      open: number;
      overdue: number;
      closed: number;
      withdrawn: number;
      repeatInadequate: number;
    }>(k.raw(`count(*)::int as opened`), k.raw(`count(*) filter (where r.status = 'open')::int as open`), k.raw(`count(*) filter (where r.status = 'open' and ${OVERDUE})::int as overdue`, overdueBindings(today)), k.raw(`count(*) filter (where r.status = 'closed')::int as closed`), k.raw(`count(*) filter (where r.status = 'withdrawn')::int as withdrawn`), k.raw(`count(*) filter (where r.repeat_inadequate and r.status <> 'withdrawn')::int as "repeatInadequate"`));
    const actions = await k('remediation_action as x')
      .whereIn('x.record_id', inPeriod.clone().select('r.id'))
      .first<{ actions: number; verified: number }>(
        k.raw('count(*)::int as actions'),
        k.raw(`count(*) filter (where x.status = 'verified')::int as verified`),
      );
    const closings: { openedOn: string; closedOn: string }[] = await inPeriod
      .clone()
      .where('r.status', 'closed')
      .select(
        k.raw(`to_char(r.created_at at time zone 'Europe/London', 'YYYY-MM-DD') as "openedOn"`),
        k.raw(`to_char(r.closed_at at time zone 'Europe/London', 'YYYY-MM-DD') as "closedOn"`),
      );
    return {
      opened: counts?.opened ?? 0,
      open: counts?.open ?? 0,
      overdue: counts?.overdue ?? 0,
      closed: counts?.closed ?? 0,
      withdrawn: counts?.withdrawn ?? 0,
      repeatInadequate: counts?.repeatInadequate ?? 0,
      actions: actions?.actions ?? 0,
      actionsVerified: actions?.verified ?? 0,
      closings,
    };
  },

  /** How many of each record's actions are at each status, and how many are overdue on `today`. */
  async actionCounts(
    ex: Executor,
    recordIds: readonly number[],
    today: string,
  ): Promise<Map<number, ActionCounts>> {
    if (recordIds.length === 0) return new Map();
    const rows = await knexOf(ex)('remediation_action')
      .whereIn('record_id', recordIds)
      .groupBy('record_id')
      .select<(ActionCounts & { recordId: number })[]>(
        'record_id as recordId',
        knexOf(ex).raw(`count(*) filter (where status = 'open')::int as open`),
        knexOf(ex).raw(`count(*) filter (where status = 'in_progress')::int as "inProgress"`),
        knexOf(ex).raw(`count(*) filter (where status = 'completed')::int as completed`),
        knexOf(ex).raw(`count(*) filter (where status = 'verified')::int as verified`),
        knexOf(ex).raw(
          `count(*) filter (where status in ('open', 'in_progress') and due_date < ?)::int as overdue`,
          [today],
        ),
      );
    return new Map(rows.map(({ recordId, ...counts }) => [recordId, counts]));
  },

  actions: (ex: Executor, recordId: number): Promise<RemediationAction[]> =>
    selectActions(ex).where('x.record_id', recordId).orderBy('x.id'),

  async findAction(ex: Executor, id: number, lock = false): Promise<RemediationAction | undefined> {
    const query = selectActions(ex).where('x.id', id).first();
    return (lock ? query.forUpdate('x') : query) as Promise<RemediationAction | undefined>;
  },

  async insertAction(
    ex: Executor,
    task: {
      recordId: number;
      description: string;
      intendedDifference: string;
      kind: ActionKind;
      ownerPersonId: number;
      dueDate: string;
      dueReason: string | null;
      evidence: string | null;
      createdByUserId: number;
    },
  ): Promise<number> {
    return insertRow(ex, 'remediation_action', {
      record_id: task.recordId,
      description: task.description,
      intended_difference: task.intendedDifference,
      kind: task.kind,
      owner_person_id: task.ownerPersonId,
      due_date: task.dueDate,
      due_reason: task.dueReason,
      evidence: task.evidence,
      created_by_user_id: task.createdByUserId,
    });
  },

  /** Moves an action if it is still at `version`; the new version, or undefined when it was not. */
  async updateAction(
    ex: Executor,
    id: number,
    version: number,
    changes: {
      status: ActionStatus;
      evidence?: string | null;
      verificationNote?: string;
      verifiedByUserId?: number;
    },
  ): Promise<number | undefined> {
    const k = knexOf(ex);
    const verified = changes.status === 'verified';
    return updateAtVersion(ex, 'remediation_action', id, version, {
      status: changes.status,
      updated_at: k.fn.now(),
      ...(changes.evidence !== undefined ? { evidence: changes.evidence } : {}),
      verification_note: verified ? changes.verificationNote : null,
      verified_by_user_id: verified ? changes.verifiedByUserId : null,
      verified_at: verified ? k.fn.now() : null,
    });
  },

  /** The team and child reference of an audit's case. */
  async caseOfAudit(ex: Executor, auditId: number): Promise<{ teamId: number; caseRef: string }> {
    const row = await knexOf(ex)('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .where('a.id', auditId)
      .first<{ teamId: number; caseRef: string } | undefined>('c.team_id as teamId', 'c.case_ref as caseRef');
    if (!row) throw new Error(`audit ${auditId} has no case`);
    return row;
  },
};
