import { knexOf } from '../db/query';
import type { ModerationPolicy } from '../moderation/policy';
import type { CaseRow } from '../cases/repository';
import type { Executor } from '../db/transaction';
import { CASE_FACTS } from '../frameworks/types';
import type { AuditResponse } from './response';

export type AuditStatus = 'unallocated' | 'allocated' | 'in_progress' | 'submitted' | 'cancelled';

/** An audit with what its auditor may see of the case: the imported profile, never the child's name. */
export interface AuditRecord {
  id: number;
  status: AuditStatus;
  /** Why it was cancelled (its round closed before it was submitted); empty unless cancelled. */
  cancelledReason: string | null;
  version: number;
  revision: number;
  dueDate: string;
  auditorUserId: number | null;
  auditorName: string | null;
  roundId: number | null;
  calibrationId: number | null;
  /** For a re-audit: the closed remediation record whose case it audits again. */
  remediationRecordId: number | null;
  /** The round's name, the calibration exercise's, or "Re-audit". */
  roundName: string;
  roundSeed: number | null;
  moderationPolicy: ModerationPolicy | null;
  frameworkVersionId: number;
  frameworkId: string;
  frameworkVersion: string;
  frameworkTitle: string;
  caseId: number;
  caseRef: string;
  /** A restricted case (adoption, high profile, a member of staff's family): see src/auth/scope.ts. */
  restricted: boolean;
  teamId: number;
  teamName: string;
  serviceAreaId: number | null;
  workerPersonId: number | null;
  managerPersonId: number | null;
  workerName: string | null;
  profile: CaseProfile;
}

/** What a change to an audit needs to know: its state, who may change it, and its round's policy. */
export type AuditState = Pick<
  AuditRecord,
  | 'id'
  | 'status'
  | 'version'
  | 'revision'
  | 'auditorUserId'
  | 'teamId'
  | 'caseRef'
  | 'restricted'
  | 'frameworkId'
  | 'frameworkVersion'
  | 'roundSeed'
  | 'moderationPolicy'
  | 'remediationRecordId'
>;

/** What the auditor sees of the case: the imported profile, never the child's name. */
export type CaseProfile = Pick<
  CaseRow,
  | 'caseRef'
  | 'caseType'
  | 'ageYears'
  | 'gender'
  | 'ethnicity'
  | 'disability'
  | 'legalStatus'
  | 'categoryOfAbuse'
  | 'placementType'
  | 'uasc'
  | 'missingEpisodes'
  | 'startDate'
  | 'attributes'
>;

export interface RevisionSummary {
  id: number;
  revision: number;
  status: 'draft' | 'submitted';
  reopenReason: string | null;
  contentHash: string | null;
  overallGrade: string | null;
  updatedAt: Date;
  updatedByName: string | null;
  submittedAt: Date | null;
  submittedByName: string | null;
}

export interface Revision extends RevisionSummary {
  response: AuditResponse;
}

export interface SectionGradeRow {
  sectionId: string;
  grade: string;
  rank: number | null;
}

export interface Concern {
  id: number;
  raisedAt: Date;
  raisedByName: string | null;
  details: string;
  escalations: {
    role: 'team_manager' | 'head_of_service';
    userName: string | null;
    acknowledgedAt: string | null;
  }[];
}

const REVISION_COLUMNS = [
  'rv.id',
  'rv.revision',
  'rv.status',
  'rv.reopen_reason as reopenReason',
  'rv.content_hash as contentHash',
  'rv.overall_grade as overallGrade',
  'rv.updated_at as updatedAt',
  'uu.display_name as updatedByName',
  'rv.submitted_at as submittedAt',
  'us.display_name as submittedByName',
];

function revisions(ex: Executor) {
  return knexOf(ex)('audit_revision as rv')
    .leftJoin('app_user as uu', 'uu.id', 'rv.updated_by_user_id')
    .leftJoin('app_user as us', 'us.id', 'rv.submitted_by_user_id');
}

/** Each case fact's column: its name in snake case (caseType: c.case_type). */
const FACT_COLUMNS = CASE_FACTS.map(
  (fact) => [`c.${fact.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`)}`, fact] as const,
);

const STATE_COLUMNS = [
  'a.id',
  'a.status',
  'a.lock_version as version',
  'a.current_revision as revision',
  'a.auditor_user_id as auditorUserId',
  'c.team_id as teamId',
  'c.case_ref as caseRef',
  'c.restricted',
  'v.framework_id as frameworkId',
  'v.version as frameworkVersion',
  'r.seed as roundSeed',
  'r.moderation as moderationPolicy',
  'a.remediation_record_id as remediationRecordId',
];

/** The four tables an audit's state for a change is read from: cheap to plan and run on every save. */
const stateOf = (ex: Executor, id: number) =>
  knexOf(ex)('audit as a')
    .leftJoin('audit_round as r', 'r.id', 'a.round_id')
    .join('case_record as c', 'c.id', 'a.case_id')
    .join('framework_version as v', 'v.id', 'a.framework_version_id')
    .where('a.id', id);

export const auditRepository = {
  async find(ex: Executor, id: number): Promise<AuditRecord | undefined> {
    const row: unknown = await knexOf(ex)('audit as a')
      .leftJoin('audit_round as r', 'r.id', 'a.round_id')
      .leftJoin('calibration_exercise as x', 'x.id', 'a.calibration_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('team as t', 't.id', 'c.team_id')
      .join('framework_version as v', 'v.id', 'a.framework_version_id')
      .leftJoin('person as w', 'w.id', 'c.worker_id')
      .leftJoin('app_user as u', 'u.id', 'a.auditor_user_id')
      .where('a.id', id)
      .first(
        ...STATE_COLUMNS,
        knexOf(ex).raw(`to_char(a.due_date, 'YYYY-MM-DD') as "dueDate"`),
        'u.display_name as auditorName',
        'a.cancelled_reason as cancelledReason',
        'a.round_id as roundId',
        'a.calibration_id as calibrationId',
        knexOf(ex).raw(`coalesce(r.name, x.name, 'Re-audit') as "roundName"`),
        'a.framework_version_id as frameworkVersionId',
        'v.title as frameworkTitle',
        'a.case_id as caseId',
        't.name as teamName',
        't.service_area_id as serviceAreaId',
        'c.worker_id as workerPersonId',
        'w.line_manager_id as managerPersonId',
        'w.display_name as workerName',
        knexOf(ex).raw(`json_build_object(
          'caseRef', c.case_ref, 'caseType', c.case_type, 'ageYears', c.age_years, 'gender', c.gender,
          'ethnicity', c.ethnicity, 'disability', c.disability, 'legalStatus', c.legal_status,
          'categoryOfAbuse', c.category_of_abuse, 'placementType', c.placement_type, 'uasc', c.uasc,
          'missingEpisodes', c.missing_episodes, 'startDate', to_char(c.start_date, 'YYYY-MM-DD'),
          'attributes', coalesce(c.attributes, '{}'::jsonb)) as profile`),
      );
    return row as AuditRecord | undefined;
  },

  /** The facts of the audited case that case conditions test: two tables, read on every save. */
  async caseFactsOf(ex: Executor, id: number): Promise<CaseProfile | undefined> {
    const row: unknown = await knexOf(ex)('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .where('a.id', id)
      .first(FACT_COLUMNS.map(([column, fact]) => `${column} as ${fact}`));
    return row as CaseProfile | undefined;
  },

  /** The audit's state for a change and its case's facts, in one query (a draft save's only read). */
  async findStateAndFacts(
    ex: Executor,
    id: number,
  ): Promise<{ state: AuditState; facts: CaseProfile } | undefined> {
    const row: Record<string, unknown> | undefined = await stateOf(ex, id).first([
      ...STATE_COLUMNS,
      ...FACT_COLUMNS.map(([column, fact]) => `${column} as fact:${fact}`),
    ]);
    if (!row) return undefined;
    const state: Record<string, unknown> = {};
    const facts: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (key.startsWith('fact:')) facts[key.slice(5)] = value;
      else state[key] = value;
    }
    return { state: state as AuditState, facts: facts as CaseProfile };
  },

  /**
   * A draft save in one statement: raises the version if it is still `expected` and the audit is still as
   * the save was checked against (being drafted, at `revision`, allocated to `auditorUserId`, its case not
   * restricted or the user granted it), writes the draft, and records the change (`event`, a statement
   * part from the activity log reading the CTE `bumped`). Returns the new version, or undefined when nothing
   * was changed.
   */
  async saveDraftAt(
    ex: Executor,
    draft: {
      auditId: number;
      expected: number;
      revision: number;
      auditorUserId: number;
      /** Restricted cases the user may see: all of them (an admin), or those granted. */
      restricted: 'all' | readonly string[];
      response: AuditResponse;
      userId: number | null;
    },
    event: { sql: string; bindings: (string | number | null)[] },
  ): Promise<number | undefined> {
    const { auditId, expected, revision, auditorUserId, restricted, response, userId } = draft;
    const result = await knexOf(ex).raw<{ rows: { version: number }[] }>(
      `with bumped as (
         update audit a set lock_version = lock_version + 1, status = 'in_progress'
          where a.id = ? and a.lock_version = ? and a.current_revision = ?
            and a.status in ('allocated', 'in_progress') and a.auditor_user_id = ?
            and exists (select 1 from case_record c where c.id = a.case_id
                         and (not c.restricted or ?::boolean or c.case_ref = any(?::text[])))
            and exists (select 1 from audit_revision
                         where audit_id = a.id and revision = a.current_revision and status = 'draft')
         returning lock_version as version
       ), saved as (
         update audit_revision set response = ?::jsonb, updated_by_user_id = ?, updated_at = now()
          where audit_id = ? and revision = ? and status = 'draft' and exists (select 1 from bumped)
         returning audit_id
       ), logged as (${event.sql})
       select version from bumped`,
      [
        auditId,
        expected,
        revision,
        auditorUserId,
        restricted === 'all',
        restricted === 'all' ? [] : [...restricted],
        JSON.stringify(response),
        userId,
        auditId,
        revision,
        ...event.bindings,
      ],
    );
    return result.rows[0]?.version;
  },

  /** The audit's state for a change. */
  async findState(ex: Executor, id: number): Promise<AuditState | undefined> {
    const row: unknown = await stateOf(ex, id).first(STATE_COLUMNS);
    return row as AuditState | undefined;
  },

  /**
   * Raises the audit's version if it is still `expected` (and sets its status, if given). Returns the new
   * version, or undefined when somebody changed the audit first: the one atomic check that stops lost updates.
   */
  async bumpVersion(
    ex: Executor,
    id: number,
    expected: number,
    changes: { status?: AuditStatus; revision?: number } = {},
  ): Promise<number | undefined> {
    const rows: { version: number }[] = await knexOf(ex)('audit')
      .where({ id, lock_version: expected })
      .update({
        lock_version: knexOf(ex).raw('lock_version + 1'),
        ...(changes.status ? { status: changes.status } : {}),
        ...(changes.revision !== undefined ? { current_revision: changes.revision } : {}),
      })
      .returning(knexOf(ex).raw('lock_version as version'));
    return rows[0]?.version;
  },

  async listRevisions(ex: Executor, auditId: number): Promise<RevisionSummary[]> {
    const rows: RevisionSummary[] = await revisions(ex)
      .where('rv.audit_id', auditId)
      .orderBy('rv.revision')
      .select(REVISION_COLUMNS);
    return rows;
  },

  async findRevision(ex: Executor, auditId: number, revision: number): Promise<Revision | undefined> {
    const row: unknown = await revisions(ex)
      .where({ 'rv.audit_id': auditId, 'rv.revision': revision })
      .first([...REVISION_COLUMNS, 'rv.response']);
    return row as Revision | undefined;
  },

  /** The latest submitted revision, if any. */
  async latestSubmitted(ex: Executor, auditId: number): Promise<Revision | undefined> {
    const row: unknown = await revisions(ex)
      .where({ 'rv.audit_id': auditId, 'rv.status': 'submitted' })
      .orderBy('rv.revision', 'desc')
      .first([...REVISION_COLUMNS, 'rv.response']);
    return row as Revision | undefined;
  },

  async insertRevision(
    ex: Executor,
    revision: {
      auditId: number;
      revision: number;
      response: AuditResponse;
      userId: number | null;
      reopenReason?: string;
    },
  ): Promise<void> {
    await knexOf(ex)('audit_revision').insert({
      audit_id: revision.auditId,
      revision: revision.revision,
      response: JSON.stringify(revision.response),
      reopen_reason: revision.reopenReason ?? null,
      created_by_user_id: revision.userId,
      updated_by_user_id: revision.userId,
    });
  },

  async updateDraft(
    ex: Executor,
    auditId: number,
    revision: number,
    response: AuditResponse,
    userId: number | null,
  ): Promise<void> {
    await knexOf(ex)('audit_revision')
      .where({ audit_id: auditId, revision, status: 'draft' })
      .update({
        response: JSON.stringify(response),
        updated_by_user_id: userId,
        updated_at: knexOf(ex).fn.now(),
      });
  },

  /** Marks a draft submitted (after which the database refuses any change to it); returns its id. */
  async submit(
    ex: Executor,
    auditId: number,
    revision: number,
    submission: { response: AuditResponse; hash: string; overallGrade: string; userId: number | null },
  ): Promise<number> {
    const rows: { id: number | string }[] = await knexOf(ex)('audit_revision')
      .where({ audit_id: auditId, revision, status: 'draft' })
      .update({
        status: 'submitted',
        response: JSON.stringify(submission.response),
        content_hash: submission.hash,
        overall_grade: submission.overallGrade,
        updated_by_user_id: submission.userId,
        updated_at: knexOf(ex).fn.now(),
        submitted_by_user_id: submission.userId,
        submitted_at: knexOf(ex).fn.now(),
      })
      .returning('id');
    const id = rows[0]?.id;
    if (id === undefined) throw new Error(`audit ${auditId} has no draft revision ${revision}`);
    return Number(id);
  },

  async insertGrades(ex: Executor, revisionId: number, grades: readonly SectionGradeRow[]): Promise<void> {
    if (grades.length === 0) return;
    await knexOf(ex)('audit_section_grade').insert(
      grades.map((g) => ({
        audit_revision_id: revisionId,
        section_id: g.sectionId,
        grade: g.grade,
        rank: g.rank,
      })),
    );
  },

  async grades(ex: Executor, revisionId: number): Promise<SectionGradeRow[]> {
    const rows: SectionGradeRow[] = await knexOf(ex)('audit_section_grade')
      .where('audit_revision_id', revisionId)
      .select('section_id as sectionId', 'grade', 'rank');
    return rows;
  },

  /** Records a concern; its escalations are the escalations feature's (src/escalations). */
  async insertConcern(
    ex: Executor,
    concern: { auditId: number; userId: number | null; details: string },
  ): Promise<number> {
    const [row] = await knexOf(ex)('safeguarding_concern')
      .insert({ audit_id: concern.auditId, raised_by_user_id: concern.userId, details: concern.details })
      .returning<{ id: number }[]>('id');
    if (!row) throw new Error('insert returned no id');
    return row.id;
  },

  async concerns(ex: Executor, auditId: number): Promise<Concern[]> {
    const rows: unknown = await knexOf(ex)('safeguarding_concern as s')
      .leftJoin('app_user as u', 'u.id', 's.raised_by_user_id')
      .where('s.audit_id', auditId)
      .orderBy('s.id')
      .select(
        's.id',
        's.raised_at as raisedAt',
        'u.display_name as raisedByName',
        's.details',
        knexOf(ex)
          .raw(`(select coalesce(json_agg(json_build_object('role', e.recipient_role, 'userName', eu.display_name,
                   'acknowledgedAt', e.acknowledged_at)
                   order by e.id), '[]') from escalation e left join app_user eu on eu.id = e.recipient_user_id
                 where e.concern_id = s.id) as escalations`),
      );
    return rows as Concern[];
  },
};
