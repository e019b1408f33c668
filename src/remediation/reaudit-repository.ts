import type { CaseStaffing } from '../conflicts/rule';
import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';
import type { AuditStatus } from '../audits/repository';
import type { GivenGrade } from './triggers';

/** The audit a closed record followed up, and its child's case as the latest case list has it. */
export interface Remediated {
  auditorUserId: number | null;
  frameworkVersionId: number;
  /** The child's case in the latest import that has it: whose staff the conflict rule judges today. */
  staffing: CaseStaffing;
}

/** A record's re-audit, as its page and the API show it. */
export interface ReauditRow {
  auditId: number;
  dueOn: string;
  status: AuditStatus;
  auditorUserId: number | null;
  auditorName: string | null;
  teamId: number;
  caseRef: string;
  restricted: boolean;
  /** Whether an administrator has allocated it since it was scheduled. */
  reallocated: boolean;
  /** Its current moderation, if it was selected: a blind one waiting hides its grades from moderators. */
  moderationBlind: boolean | null;
  moderationStatus: string | null;
}

/** Re-audits: audits whose home is the closed remediation record whose case they audit again. */
export const reauditRepository = {
  async remediated(ex: Executor, recordId: number): Promise<Remediated> {
    const row = await knexOf(ex)('remediation_record as r')
      .join('audit as a', 'a.id', 'r.audit_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .joinRaw(
        `join lateral (select l.id, l.case_ref, l.restricted, l.team_id, l.worker_id from case_record l where l.case_ref = c.case_ref
           order by l.import_id desc limit 1) lc on true`,
      )
      .leftJoin('person as w', 'w.id', 'lc.worker_id')
      .where('r.id', recordId)
      .first<
        | {
            auditorUserId: number | null;
            frameworkVersionId: number;
            caseId: number;
            caseRef: string;
            restricted: boolean;
            teamId: number;
            workerPersonId: number | null;
            managerPersonId: number | null;
          }
        | undefined
      >(
        'a.auditor_user_id as auditorUserId',
        'a.framework_version_id as frameworkVersionId',
        'lc.id as caseId',
        'lc.case_ref as caseRef',
        'lc.restricted',
        'lc.team_id as teamId',
        'lc.worker_id as workerPersonId',
        'w.line_manager_id as managerPersonId',
      );
    if (!row) throw new Error(`remediation record ${recordId} has no audit`);
    const { auditorUserId, frameworkVersionId, ...staffing } = row;
    return { auditorUserId, frameworkVersionId, staffing };
  },

  /** How many audits each auditor has allocated and not yet submitted. */
  async openLoads(ex: Executor): Promise<Map<number, number>> {
    const rows = await knexOf(ex)('audit')
      .whereIn('status', ['allocated', 'in_progress'])
      .whereNotNull('auditor_user_id')
      .groupBy('auditor_user_id')
      .select<{ auditorUserId: number; n: number }[]>(
        'auditor_user_id as auditorUserId',
        knexOf(ex).raw('count(*)::int as n'),
      );
    return new Map(rows.map((r) => [r.auditorUserId, r.n]));
  },

  /** Creates the re-audit, allocated or not, with its first allocation; returns its id. */
  async insert(
    ex: Executor,
    reaudit: {
      recordId: number;
      caseId: number;
      frameworkVersionId: number;
      auditorUserId: number | null;
      dueOn: string;
    },
  ): Promise<number> {
    const [row] = await knexOf(ex)('audit')
      .insert({
        remediation_record_id: reaudit.recordId,
        case_id: reaudit.caseId,
        stratum: 'reaudit',
        framework_version_id: reaudit.frameworkVersionId,
        auditor_user_id: reaudit.auditorUserId,
        status: reaudit.auditorUserId === null ? 'unallocated' : 'allocated',
        due_date: reaudit.dueOn,
      })
      .returning<{ id: number }[]>('id');
    if (!row) throw new Error('insert returned no id');
    await knexOf(ex)('audit_allocation').insert({ audit_id: row.id, auditor_user_id: reaudit.auditorUserId });
    return row.id;
  },

  /** The record's re-audit, if one was scheduled. */
  async ofRecord(ex: Executor, recordId: number): Promise<ReauditRow | undefined> {
    return knexOf(ex)('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .leftJoin('app_user as u', 'u.id', 'a.auditor_user_id')
      .joinRaw(
        `left join lateral (select m.blind, m.status from moderation m where m.audit_id = a.id
           and m.status <> 'cancelled' order by m.id desc limit 1) m on true`,
      )
      .where('a.remediation_record_id', recordId)
      .first<ReauditRow | undefined>(
        'a.id as auditId',
        'a.due_date as dueOn',
        'a.status',
        'a.auditor_user_id as auditorUserId',
        'u.display_name as auditorName',
        'c.team_id as teamId',
        'c.case_ref as caseRef',
        'c.restricted',
        knexOf(ex).raw(
          `exists (select 1 from audit_allocation h where h.audit_id = a.id
                   and h.allocated_by_user_id is not null) as reallocated`,
        ),
        'm.blind as moderationBlind',
        'm.status as moderationStatus',
      );
  },

  /** Re-audits nobody is allocated to, soonest due first: for the administrators to allocate. */
  async unallocated(ex: Executor): Promise<{ auditId: number; recordId: number; dueOn: string }[]> {
    return knexOf(ex)('audit')
      .whereNotNull('remediation_record_id')
      .where('status', 'unallocated')
      .orderBy(['due_date', 'id'])
      .select('id as auditId', 'remediation_record_id as recordId', 'due_date as dueOn');
  },

  /**
   * The grades an audit's latest submission reports, overall and by section: those agreed at moderation
   * where a moderator completed one, else the auditor's.
   */
  async reportedGrades(ex: Executor, auditId: number): Promise<GivenGrade[]> {
    const result = await knexOf(ex).raw<{ rows: GivenGrade[] }>(
      `select g.section_id as "sectionId", coalesce(mg.agreed_grade, g.grade) as grade
         from (select id from audit_revision where audit_id = ? and status = 'submitted'
               order by revision desc limit 1) rv
         join audit_section_grade g on g.audit_revision_id = rv.id
         left join moderation m on m.audit_revision_id = rv.id and m.status = 'completed'
         left join moderation_grade mg on mg.moderation_id = m.id and mg.section_id = g.section_id`,
      [auditId],
    );
    return result.rows;
  },
};
