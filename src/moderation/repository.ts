import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';
import type { ModerationReason } from './policy';

export type ModerationStatus = 'queued' | 'graded' | 'completed' | 'cancelled';
export type GradeOutcome = 'upheld' | 'upgraded' | 'downgraded';

export interface ModerationRecord {
  id: number;
  auditId: number;
  revisionId: number;
  revision: number;
  reason: ModerationReason;
  blind: boolean;
  status: ModerationStatus;
  moderatorUserId: number | null;
  moderatorName: string | null;
  gradedAt: Date | null;
  completedAt: Date | null;
  summary: string | null;
  createdAt: Date;
}

export interface ModerationGrade {
  sectionId: string;
  auditorGrade: string;
  moderatorGrade: string | null;
  /** The moderator's notes, written with their own grade. */
  moderatorNotes: string | null;
  agreedGrade: string | null;
  outcome: GradeOutcome | null;
  reason: string | null;
}

export interface QueueItem {
  moderationId: number;
  auditId: number;
  reason: ModerationReason;
  blind: boolean;
  status: ModerationStatus;
  moderatorUserId: number | null;
  moderatorName: string | null;
  selectedAt: Date;
  caseRef: string;
  caseId: number;
  caseType: string;
  restricted: boolean;
  teamId: number;
  teamName: string;
  workerPersonId: number | null;
  managerPersonId: number | null;
  auditorUserId: number | null;
  auditorName: string | null;
  roundName: string;
}

/** A compared grade from a completed moderation, with what statistics group it by. */
export interface ComparedGrade {
  moderationId: number;
  sectionId: string;
  auditorGrade: string;
  moderatorGrade: string | null;
  agreedGrade: string;
  outcome: GradeOutcome;
  auditorUserId: number;
  auditorName: string;
  /** The round; empty for a re-audit (grouped as "Re-audits"). */
  roundId: number | null;
  roundName: string;
  frameworkId: string;
  frameworkVersion: string;
}

const COLUMNS = [
  'm.id',
  'm.audit_id as auditId',
  'm.audit_revision_id as revisionId',
  'rv.revision',
  'm.reason',
  'm.blind',
  'm.status',
  'm.moderator_user_id as moderatorUserId',
  'u.display_name as moderatorName',
  'm.graded_at as gradedAt',
  'm.completed_at as completedAt',
  'm.summary',
  'm.created_at as createdAt',
];

function moderations(ex: Executor) {
  return knexOf(ex)('moderation as m')
    .join('audit_revision as rv', 'rv.id', 'm.audit_revision_id')
    .leftJoin('app_user as u', 'u.id', 'm.moderator_user_id');
}

export const moderationRepository = {
  async insert(
    ex: Executor,
    moderation: { auditId: number; revisionId: number; reason: ModerationReason; blind: boolean },
  ): Promise<void> {
    await knexOf(ex)('moderation').insert({
      audit_id: moderation.auditId,
      audit_revision_id: moderation.revisionId,
      reason: moderation.reason,
      blind: moderation.blind,
    });
  },

  /** The moderation of an audit's given revision, if it was selected. */
  async forRevisionOf(
    ex: Executor,
    auditId: number,
    revision: number,
  ): Promise<ModerationRecord | undefined> {
    const row: unknown = await moderations(ex)
      .where({ 'm.audit_id': auditId, 'rv.revision': revision })
      .first(COLUMNS);
    return row as ModerationRecord | undefined;
  },

  /** The audit's current moderation (not cancelled), locked for the change about to be made. */
  async currentFor(ex: Executor, auditId: number, lock = false): Promise<ModerationRecord | undefined> {
    const query = moderations(ex)
      .where('m.audit_id', auditId)
      .whereNot('m.status', 'cancelled')
      .orderBy('m.id', 'desc')
      .first(COLUMNS);
    if (lock) query.forUpdate('m');
    const row: unknown = await query;
    return row as ModerationRecord | undefined;
  },

  async cancel(ex: Executor, id: number): Promise<void> {
    await knexOf(ex)('moderation').where({ id, status: 'queued' }).update({ status: 'cancelled' });
  },

  /** Moderations still to do (queued, or graded blind and waiting for the outcome), oldest first. */
  async queue(ex: Executor): Promise<QueueItem[]> {
    const rows: QueueItem[] = await knexOf(ex)('moderation as m')
      .join('audit as a', 'a.id', 'm.audit_id')
      .join('case_record as c', 'c.id', 'a.case_id')
      .join('team as t', 't.id', 'c.team_id')
      // A re-audit has no round.
      .leftJoin('audit_round as r', 'r.id', 'a.round_id')
      .leftJoin('person as w', 'w.id', 'c.worker_id')
      .leftJoin('app_user as au', 'au.id', 'a.auditor_user_id')
      .leftJoin('app_user as mu', 'mu.id', 'm.moderator_user_id')
      .whereIn('m.status', ['queued', 'graded'])
      .orderBy('m.id')
      .select(
        'm.id as moderationId',
        'm.audit_id as auditId',
        'm.reason',
        'm.blind',
        'm.status',
        'm.moderator_user_id as moderatorUserId',
        'mu.display_name as moderatorName',
        'm.created_at as selectedAt',
        'c.case_ref as caseRef',
        'c.id as caseId',
        'c.case_type as caseType',
        'c.restricted',
        'c.team_id as teamId',
        't.name as teamName',
        'c.worker_id as workerPersonId',
        'w.line_manager_id as managerPersonId',
        'a.auditor_user_id as auditorUserId',
        'au.display_name as auditorName',
        knexOf(ex).raw(`coalesce(r.name, 'Re-audit') as "roundName"`),
      );
    return rows;
  },

  async grades(ex: Executor, moderationId: number): Promise<ModerationGrade[]> {
    const rows: ModerationGrade[] = await knexOf(ex)('moderation_grade')
      .where('moderation_id', moderationId)
      .select(
        'section_id as sectionId',
        'auditor_grade as auditorGrade',
        'moderator_grade as moderatorGrade',
        'moderator_notes as moderatorNotes',
        'agreed_grade as agreedGrade',
        'outcome',
        'reason',
      );
    return rows;
  },

  /** Records the moderator's own grades (blind) and takes the moderation. */
  async recordGrades(
    ex: Executor,
    id: number,
    moderatorUserId: number,
    grades: { sectionId: string; auditorGrade: string; moderatorGrade: string; notes: string | null }[],
  ): Promise<void> {
    await knexOf(ex)('moderation_grade').insert(
      grades.map((g) => ({
        moderation_id: id,
        section_id: g.sectionId,
        auditor_grade: g.auditorGrade,
        moderator_grade: g.moderatorGrade,
        moderator_notes: g.notes,
      })),
    );
    await knexOf(ex)('moderation')
      .where('id', id)
      .update({ status: 'graded', moderator_user_id: moderatorUserId, graded_at: knexOf(ex).fn.now() });
  },

  /** Records the agreed grades and outcomes, completing the moderation. */
  async recordOutcome(
    ex: Executor,
    id: number,
    moderatorUserId: number,
    outcome: { grades: Omit<ModerationGrade, 'moderatorGrade' | 'moderatorNotes'>[]; summary: string | null },
  ): Promise<void> {
    for (const g of outcome.grades) {
      await knexOf(ex)('moderation_grade')
        .insert({
          moderation_id: id,
          section_id: g.sectionId,
          auditor_grade: g.auditorGrade,
          agreed_grade: g.agreedGrade,
          outcome: g.outcome,
          reason: g.reason,
        })
        .onConflict(['moderation_id', 'section_id'])
        .merge(['agreed_grade', 'outcome', 'reason']);
    }
    await knexOf(ex)('moderation')
      .where('id', id)
      .update({
        status: 'completed',
        moderator_user_id: moderatorUserId,
        summary: outcome.summary,
        completed_at: knexOf(ex).fn.now(),
      });
  },

  /** Every compared grade of completed moderations, optionally in one round. */
  async comparedGrades(ex: Executor, where: { roundId?: number } = {}): Promise<ComparedGrade[]> {
    const query = knexOf(ex)('moderation_grade as g')
      .join('moderation as m', 'm.id', 'g.moderation_id')
      .join('audit as a', 'a.id', 'm.audit_id')
      .leftJoin('audit_round as r', 'r.id', 'a.round_id')
      .join('framework_version as v', 'v.id', 'a.framework_version_id')
      .join('audit_revision as rv', 'rv.id', 'm.audit_revision_id')
      .join('app_user as au', 'au.id', 'rv.submitted_by_user_id')
      .where('m.status', 'completed')
      .orderBy(['r.id', 'm.id', 'g.section_id'])
      .select(
        'm.id as moderationId',
        'g.section_id as sectionId',
        'g.auditor_grade as auditorGrade',
        'g.moderator_grade as moderatorGrade',
        'g.agreed_grade as agreedGrade',
        'g.outcome',
        'au.id as auditorUserId',
        'au.display_name as auditorName',
        'r.id as roundId',
        knexOf(ex).raw(`coalesce(r.name, 'Re-audits') as "roundName"`),
        'v.framework_id as frameworkId',
        'v.version as frameworkVersion',
      );
    if (where.roundId !== undefined) query.where('r.id', where.roundId);
    return (await query) as ComparedGrade[];
  },
};
