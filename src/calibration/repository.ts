import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';
import type { CaseStaffing } from '../conflicts/rule';

export interface CalibrationSummary {
  id: number;
  name: string;
  status: 'open' | 'closed';
  dueDate: string;
  caseId: number;
  caseRef: string;
  restricted: boolean;
  teamId: number;
  workerPersonId: number | null;
  managerPersonId: number | null;
  frameworkId: string;
  frameworkVersion: string;
  frameworkTitle: string;
  auditCount: number;
  submittedCount: number;
}

export interface CalibrationAudit {
  auditId: number;
  auditorUserId: number;
  auditorName: string;
  status: string;
  /** The latest submitted response's grades by section id (and "overall"); empty until submitted. */
  grades: Record<string, string>;
}

const SUMMARY_COLUMNS = [
  'x.id',
  'x.name',
  'x.status',
  'x.case_id as caseId',
  'c.case_ref as caseRef',
  'c.restricted',
  'c.team_id as teamId',
  'c.worker_id as workerPersonId',
  'w.line_manager_id as managerPersonId',
  'v.framework_id as frameworkId',
  'v.version as frameworkVersion',
  'v.title as frameworkTitle',
];

function summaries(ex: Executor) {
  return knexOf(ex)('calibration_exercise as x')
    .join('case_record as c', 'c.id', 'x.case_id')
    .leftJoin('person as w', 'w.id', 'c.worker_id')
    .join('framework_version as v', 'v.id', 'x.framework_version_id')
    .select(
      ...SUMMARY_COLUMNS,
      knexOf(ex).raw(`to_char(x.due_date, 'YYYY-MM-DD') as "dueDate"`),
      knexOf(ex).raw('(select count(*) from audit a where a.calibration_id = x.id)::int as "auditCount"'),
      knexOf(ex).raw(
        `(select count(*) from audit a where a.calibration_id = x.id and a.status = 'submitted')::int as "submittedCount"`,
      ),
    );
}

export const calibrationRepository = {
  async insert(
    ex: Executor,
    exercise: {
      name: string;
      caseId: number;
      frameworkVersionId: number;
      dueDate: string;
      userId: number | null;
    },
    auditorUserIds: readonly number[],
  ): Promise<number> {
    const [row] = await knexOf(ex)('calibration_exercise')
      .insert({
        name: exercise.name,
        case_id: exercise.caseId,
        framework_version_id: exercise.frameworkVersionId,
        due_date: exercise.dueDate,
        created_by_user_id: exercise.userId,
      })
      .returning<{ id: number }[]>('id');
    if (!row) throw new Error('insert returned no id');
    const audits = await knexOf(ex)('audit')
      .insert(
        auditorUserIds.map((auditorUserId) => ({
          calibration_id: row.id,
          case_id: exercise.caseId,
          stratum: 'calibration',
          framework_version_id: exercise.frameworkVersionId,
          auditor_user_id: auditorUserId,
          status: 'allocated',
          due_date: exercise.dueDate,
        })),
      )
      .returning<{ id: number; auditor_user_id: number }[]>(['id', 'auditor_user_id']);
    await knexOf(ex)('audit_allocation').insert(
      audits.map((a) => ({
        audit_id: a.id,
        auditor_user_id: a.auditor_user_id,
        allocated_by_user_id: exercise.userId,
      })),
    );
    return row.id;
  },

  /** The case with this reference in the latest import that has it. */
  async caseByRef(ex: Executor, caseRef: string): Promise<CaseStaffing | undefined> {
    const row: unknown = await knexOf(ex)('case_record as c')
      .leftJoin('person as w', 'w.id', 'c.worker_id')
      .whereRaw('lower(c.case_ref) = lower(?)', [caseRef])
      .orderBy('c.import_id', 'desc')
      .first(
        'c.id as caseId',
        'c.case_ref as caseRef',
        'c.restricted',
        'c.team_id as teamId',
        'c.worker_id as workerPersonId',
        'w.line_manager_id as managerPersonId',
      );
    return row as CaseStaffing | undefined;
  },

  async list(ex: Executor): Promise<CalibrationSummary[]> {
    return (await summaries(ex).orderBy('x.id', 'desc')) as CalibrationSummary[];
  },

  async find(ex: Executor, id: number): Promise<CalibrationSummary | undefined> {
    return (await summaries(ex).where('x.id', id).first()) as CalibrationSummary | undefined;
  },

  /** Each auditor's audit of the exercise, with the grades of their latest submitted revision. */
  async audits(ex: Executor, id: number): Promise<CalibrationAudit[]> {
    const rows = await knexOf(ex)('audit as a')
      .join('app_user as u', 'u.id', 'a.auditor_user_id')
      .where('a.calibration_id', id)
      .orderBy('u.display_name')
      .select(
        'a.id as auditId',
        'a.auditor_user_id as auditorUserId',
        'u.display_name as auditorName',
        'a.status',
        knexOf(ex).raw(`coalesce((
          select json_object_agg(g.section_id, g.grade) from audit_section_grade g
           where g.audit_revision_id = (select max(rv.id) from audit_revision rv
                                         where rv.audit_id = a.id and rv.status = 'submitted')), '{}') as grades`),
      );
    return rows as CalibrationAudit[];
  },
};
