import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { auditsReadModel } from '../audits/read-model';
import type { AuditRecord } from '../audits/repository';
import type { Database, Executor } from '../db/transaction';
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../errors';
import { gradeRank, scaleById } from '../frameworks/overall-grade';
import type { StoredVersion } from '../frameworks/repository';
import { rankedLevels } from '../frameworks/scales';
import type { FrameworksService } from '../frameworks/service';
import type { RemediationService } from '../remediation/service';
import { TEXT_LIMIT } from '../frameworks/response-schema';
import type { Framework } from '../frameworks/types';
import { conflictOf, standingOf } from '../conflicts/rule';
import type { User } from '../users/user';
import { isPlainObject } from '../validation';
import type { AuditResponse } from '../audits/response';
import { agreementBy, agreementStats, type GradePair } from './agreement';
import { shownReason, type ShownReason } from './policy';
import {
  moderationRepository,
  type GradeOutcome,
  type ModerationGrade,
  type ModerationRecord,
  type QueueItem,
} from './repository';

/** A stage of the moderation sent again after it was recorded (from a page opened before): nothing changes. */
export class StageDoneError extends ValidationError {
  constructor(
    detail: string,
    readonly stage: 'graded' | 'completed',
  ) {
    super(detail);
  }
}

export interface GradedItem {
  /** A graded section's id, or "overall". */
  id: string;
  title: string;
  scaleId: string;
}

/**
 * What is graded in a framework: its graded sections, then the overall grade (unless it has none). Given
 * the auditor's response, only what they graded: a section that did not apply, or whose optional grade they
 * left out, is not moderated and counts in no agreement.
 */
export function gradedItems(framework: Framework, response?: AuditResponse): GradedItem[] {
  const graded = (id: string) => !response || Boolean(auditorGrade(response, id));
  const overall = framework.overall.grading ?? 'required';
  return [
    ...framework.sections
      .filter((s) => s.graded && graded(s.id))
      .map((s) => ({ id: s.id, title: s.title, scaleId: s.scale as string })),
    ...(overall === 'none' || (overall === 'optional' && !graded('overall'))
      ? []
      : [{ id: 'overall', title: 'Overall', scaleId: framework.overall.scale }]),
  ];
}

/** Upheld when the agreed grade is the auditor's; upgraded when better; downgraded when worse. */
export function outcomeOf(auditorRank: number | undefined, agreedRank: number | undefined): GradeOutcome {
  if (auditorRank === agreedRank || auditorRank === undefined || agreedRank === undefined) return 'upheld';
  return agreedRank < auditorRank ? 'upgraded' : 'downgraded';
}

function auditorGrade(response: AuditResponse, id: string): string | undefined {
  return id === 'overall' ? response.overall?.grade : response.sections?.[id]?.grade;
}

/** The grades sent for each graded item: every one is required and must be a level of its scale. */
function gradesFrom(
  framework: Framework,
  response: AuditResponse,
  raw: unknown,
  field: string,
): Map<string, string> {
  const given = isPlainObject(raw) ? raw : {};
  const errors: FieldError[] = [];
  const grades = new Map<string, string>();
  for (const item of gradedItems(framework, response)) {
    const value = given[item.id];
    const grade = isPlainObject(value) ? value.grade : value;
    const codes = scaleById(framework, item.scaleId).levels.map((l) => l.code);
    if (typeof grade !== 'string' || !codes.includes(grade))
      errors.push({ field: `${field}.${item.id}`, message: `Choose a grade for ${item.title}` });
    else grades.set(item.id, grade);
  }
  if (errors.length > 0) throw new ValidationError('Grade every section and the overall grade.', errors);
  return grades;
}

/**
 * The moderator's notes sent with their own grades (`{ "<id>": { "grade", "notes" } }`): optional, plain
 * text of at most TEXT_LIMIT characters each.
 */
function notesFrom(framework: Framework, raw: unknown): Map<string, string> {
  const given = isPlainObject(raw) ? raw : {};
  const errors: FieldError[] = [];
  const notes = new Map<string, string>();
  for (const item of gradedItems(framework)) {
    const value = given[item.id];
    const text = isPlainObject(value) ? value.notes : undefined;
    if (text === undefined || text === null) continue;
    if (typeof text !== 'string' || text.length > TEXT_LIMIT)
      errors.push({
        field: `grades.${item.id}.notes`,
        message: `Your notes on ${item.title} must be text of at most ${TEXT_LIMIT.toLocaleString('en-GB')} characters`,
      });
    else if (text.trim()) notes.set(item.id, text.trim());
  }
  if (errors.length > 0) throw new ValidationError('Shorten your notes.', errors);
  return notes;
}

export type ModerationService = ReturnType<typeof createModerationService>;

export function createModerationService(
  db: Database,
  activityLog: ActivityLog,
  frameworks: FrameworksService,
  remediation: Pick<RemediationService, 'reconsider'>,
) {
  function mayModerate(
    user: User,
    item: Pick<
      QueueItem,
      'auditorUserId' | 'caseId' | 'caseRef' | 'restricted' | 'teamId' | 'workerPersonId' | 'managerPersonId'
    >,
  ) {
    if (!user.roles.includes('moderator')) return false;
    if (item.auditorUserId === user.id) return false;
    return !conflictOf(standingOf(user), item);
  }

  async function loadFor(ex: Executor, auditId: number, user: User, lock = false) {
    const audit = await auditsReadModel.find(ex, auditId);
    const moderation = audit ? await moderationRepository.currentFor(ex, auditId, lock) : undefined;
    // An audit the user may not moderate (their own, or a case they have a conflict of interest with) is
    // answered as one not selected, so that nobody learns which audits are in moderation by probing ids.
    if (!audit || !moderation || !mayModerate(user, audit))
      throw new NotFoundError(`Audit ${auditId} is not in your moderation queue.`);
    if (moderation.moderatorUserId !== null && moderation.moderatorUserId !== user.id)
      throw new ForbiddenError(
        `${moderation.moderatorName ?? 'Another moderator'} is moderating this audit.`,
      );
    return { audit, moderation };
  }

  async function submittedResponse(ex: Executor, moderation: ModerationRecord): Promise<AuditResponse> {
    const revision = await auditsReadModel.findRevision(ex, moderation.auditId, moderation.revision);
    return revision?.response ?? {};
  }

  /** A moderation as the moderator may see it. */
  async function detailOf(auditId: number, user: User) {
    const { audit, moderation } = await loadFor(db.executor, auditId, user);
    const framework = await frameworks.get(audit.frameworkId, audit.frameworkVersion);
    const revealed = !moderation.blind || moderation.status !== 'queued';
    return {
      audit,
      moderation: { ...moderation, reason: shownReason(moderation) },
      framework,
      revealed,
      response: revealed ? await submittedResponse(db.executor, moderation) : undefined,
      grades: await moderationRepository.grades(db.executor, moderation.id),
    };
  }

  return {
    /** Moderations the user may take: never their own audits, never a case they have a conflict with. */
    async queue(user: User): Promise<(Omit<QueueItem, 'reason'> & { reason: ShownReason })[]> {
      const items = await moderationRepository.queue(db.executor);
      return items
        .filter(
          (item) =>
            mayModerate(user, item) && (item.moderatorUserId === null || item.moderatorUserId === user.id),
        )
        .map((item) => ({ ...item, reason: shownReason(item) }));
    },

    /**
     * A moderation as the moderator sees it. In blind mode the auditor's response and grades are withheld
     * until the moderator has recorded their own grades.
     */
    async get(auditId: number, user: User, actor: Actor) {
      const detail = await detailOf(auditId, user);
      await activityLog.recordView(actor, 'audit', auditId);
      return detail;
    },

    /** The same, read to record a stage (a form posted): not a view; the stage is logged as itself. */
    load: detailOf,

    /**
     * Records a stage of the moderation. Blind mode has two: first the moderator's own grades (`grades`),
     * then, with the auditor's grades in view, the agreed grade per section and overall with a reason for
     * each change (`agreed`, optional `summary`). Without blind mode the outcome may be recorded at once.
     */
    async record(auditId: number, body: unknown, user: User, actor: Actor) {
      const input = isPlainObject(body) ? body : {};
      return db.transaction(async (tx) => {
        const { audit, moderation } = await loadFor(tx, auditId, user, true);
        const stored = await frameworks.get(audit.frameworkId, audit.frameworkVersion);
        const response = await submittedResponse(tx, moderation);
        if (input.grades !== undefined)
          return recordBlind(tx, audit, moderation, stored, response, input.grades, user, actor);
        if (input.agreed !== undefined)
          return recordOutcome(tx, audit, moderation, stored, response, input, user, actor);
        throw new ValidationError('Send your own grades (grades) or the agreed outcome (agreed).', [
          { field: 'grades', message: 'send grades, or agreed' },
        ]);
      });
    },

    /** Agreement between auditors and moderators: overall, per section, per auditor and per round. */
    async statistics(where: { roundId?: number } = {}) {
      const rows = await moderationRepository.comparedGrades(db.executor, where);
      const compared: {
        sectionKey: string;
        sectionTitle: string;
        isOverall: boolean;
        auditor: string;
        round: string;
        pair: GradePair;
        categories: number;
      }[] = [];
      for (const row of rows) {
        const { framework } = await frameworks.get(row.frameworkId, row.frameworkVersion);
        const item = gradedItems(framework).find((i) => i.id === row.sectionId);
        if (!item) continue;
        const auditorRank = gradeRank(framework, item.scaleId, row.auditorGrade);
        // The moderator's own judgement, made before seeing the auditor's, is the fair comparison; without
        // blind grading, the agreed grade is the moderator's judgement.
        const moderatorRank = gradeRank(framework, item.scaleId, row.moderatorGrade ?? row.agreedGrade);
        if (auditorRank === undefined || moderatorRank === undefined) continue;
        compared.push({
          sectionKey: `${framework.title}: ${item.title}`,
          sectionTitle: item.title,
          isOverall: item.id === 'overall',
          auditor: row.auditorName,
          round: row.roundName,
          pair: { auditor: auditorRank, moderator: moderatorRank },
          categories: rankedLevels(scaleById(framework, item.scaleId)).length,
        });
      }
      const categories = Math.max(2, ...compared.map((c) => c.categories));
      const overall = compared.filter((c) => c.isOverall);
      const pair = (c: (typeof compared)[number]) => c.pair;
      return {
        overall: agreementStats(overall.map(pair), categories),
        sections: agreementStats(compared.filter((c) => !c.isOverall).map(pair), categories),
        bySection: agreementBy(compared, (c) => c.sectionKey, pair, categories),
        byAuditor: agreementBy(overall, (c) => c.auditor, pair, categories),
        byRound: agreementBy(overall, (c) => c.round, pair, categories),
      };
    },
  };

  async function recordBlind(
    tx: Executor,
    audit: AuditRecord,
    moderation: ModerationRecord,
    stored: StoredVersion,
    response: AuditResponse,
    raw: unknown,
    user: User,
    actor: Actor,
  ) {
    if (moderation.status !== 'queued')
      throw new StageDoneError('Your own grades are already recorded: record the outcome now.', 'graded');
    const grades = gradesFrom(stored.framework, response, raw, 'grades');
    const notes = notesFrom(stored.framework, raw);
    await moderationRepository.recordGrades(
      tx,
      moderation.id,
      user.id,
      [...grades].map(([sectionId, grade]) => ({
        sectionId,
        auditorGrade: auditorGrade(response, sectionId) ?? '',
        moderatorGrade: grade,
        notes: notes.get(sectionId) ?? null,
      })),
    );
    await activityLog.record(tx, actor, {
      action: 'moderation.grade',
      recordType: 'audit',
      recordId: audit.id,
      summary: { after: { moderationId: moderation.id, grades: Object.fromEntries(grades) } },
    });
    return { status: 'graded' as const };
  }

  async function recordOutcome(
    tx: Executor,
    audit: AuditRecord,
    moderation: ModerationRecord,
    stored: StoredVersion,
    response: AuditResponse,
    input: Record<string, unknown>,
    user: User,
    actor: Actor,
  ) {
    if (moderation.status === 'completed')
      throw new StageDoneError('This moderation is already complete.', 'completed');
    if (moderation.blind && moderation.status === 'queued')
      throw new ValidationError(
        'This is a blind moderation: record your own grades before you see the auditor’s and agree the outcome.',
        [{ field: 'grades', message: 'Record your own grades first' }],
      );
    const framework = stored.framework;
    const agreed = gradesFrom(framework, response, input.agreed, 'agreed');
    const given = isPlainObject(input.agreed) ? input.agreed : {};
    const errors: FieldError[] = [];
    const grades: Omit<ModerationGrade, 'moderatorGrade' | 'moderatorNotes'>[] = gradedItems(
      framework,
      response,
    ).map((item) => {
      const original = auditorGrade(response, item.id) ?? '';
      const grade = agreed.get(item.id) as string;
      const outcome = outcomeOf(
        gradeRank(framework, item.scaleId, original),
        gradeRank(framework, item.scaleId, grade),
      );
      const entry = given[item.id];
      const reason = isPlainObject(entry) && typeof entry.reason === 'string' ? entry.reason.trim() : '';
      if (grade !== original && !reason)
        errors.push({
          field: `agreed.${item.id}.reason`,
          message: `Say why the grade for ${item.title} changed`,
        });
      return {
        sectionId: item.id,
        auditorGrade: original,
        agreedGrade: grade,
        outcome,
        reason: reason || null,
      };
    });
    if (errors.length > 0) throw new ValidationError('Give a reason for each grade you changed.', errors);
    const summary = typeof input.summary === 'string' && input.summary.trim() ? input.summary.trim() : null;
    await moderationRepository.recordOutcome(tx, moderation.id, user.id, { grades, summary });
    await remediation.reconsider(
      tx,
      {
        auditId: audit.id,
        framework,
        grades: grades.flatMap((g) =>
          g.agreedGrade ? [{ sectionId: g.sectionId, grade: g.agreedGrade }] : [],
        ),
        cause: 'moderation',
      },
      actor,
    );
    await activityLog.record(tx, actor, {
      action: 'moderation.complete',
      recordType: 'audit',
      recordId: audit.id,
      summary: {
        after: {
          moderationId: moderation.id,
          outcomes: Object.fromEntries(
            grades.map((g) => [g.sectionId, { agreed: g.agreedGrade, outcome: g.outcome }]),
          ),
        },
      },
    });
    return { status: 'completed' as const, grades };
  }
}
