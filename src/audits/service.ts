import type { ActivityLog } from '../activity-log/service';
import type { Actor } from '../activity-log/actor';
import type { Database, Executor } from '../db/transaction';
import { ForbiddenError, StaleVersionError, ValidationError } from '../errors';
import { contentHash } from '../frameworks/canonical-json';
import { gradeRank, scaleById } from '../frameworks/overall-grade';
import type { StoredVersion } from '../frameworks/repository';
import { rankedLevels } from '../frameworks/scales';
import type { EscalationsService } from '../escalations/service';
import type { RemediationService } from '../remediation/service';
import { answerFindings } from '../remediation/triggers';
import type { EscalationOutcome } from '../escalations/types';
import type { FrameworksService } from '../frameworks/service';
import type { Framework } from '../frameworks/types';
import type { ModerationGrade, ModerationRecord } from '../moderation/repository';
import { moderationSelection } from '../moderation/selection';
import { DEFAULT_MODERATION, moderationReason } from '../moderation/policy';
import type { User } from '../users/user';
import { isPlainObject } from '../validation';
import { auditAccess, noSuchAudit, type AuditAccess } from './access';
import {
  auditRepository,
  type AuditRecord,
  type AuditState,
  type Concern,
  type Revision,
  type RevisionSummary,
  type SectionGradeRow,
} from './repository';
import { readsCaseFacts } from '../frameworks/blocks';
import { caseFacts } from './case-facts';
import { createRecentSaves } from './recent-saves';
import { pruneResponse, submissionErrors, withCase, withoutCase, type AuditResponse } from './response';
import type { CaseFacts } from '../frameworks/conditions';

export interface AuditDetail {
  audit: AuditRecord;
  access: AuditAccess;
  /** Whether the user may change it now: it is theirs to do, and neither submitted nor cancelled. */
  editable: boolean;
  framework: StoredVersion;
  /** The revision shown: the latest for those who may read drafts, else the latest submitted (if any). */
  revision: Revision | undefined;
  /** The revision's response, with the case's facts beside it (`case`; never stored nor sent). */
  response: AuditResponse;
  revisions: RevisionSummary[];
  concerns: Concern[];
  /** The audit's moderation with the moderator's grades and notes: for admins only. */
  moderation?: { record: ModerationRecord; grades: ModerationGrade[] };
}

const MAX_REASON = 2000;
/** The facts given to a framework that tests none. */
const NO_FACTS: CaseFacts = {};

/** A change to an audit that was submitted meanwhile (Back, then submit again): nothing is saved. */
export class AuditSubmittedError extends ValidationError {
  constructor(detail = 'This audit has been submitted. Reopen it, with a reason, to correct it.') {
    super(detail);
  }
}

/** A section's grade and its place on the scale (null for "not applicable" levels). */
export function gradeRows(framework: Framework, response: AuditResponse): SectionGradeRow[] {
  const rows: SectionGradeRow[] = framework.sections
    .filter((s) => s.graded && response.sections?.[s.id]?.grade)
    .map((s) => {
      const grade = response.sections?.[s.id]?.grade as string;
      return { sectionId: s.id, grade, rank: gradeRank(framework, s.scale as string, grade) ?? null };
    });
  const overall = response.overall?.grade;
  if (overall)
    rows.push({
      sectionId: 'overall',
      grade: overall,
      rank: gradeRank(framework, framework.overall.scale, overall) ?? null,
    });
  return rows;
}

function versionOf(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw new ValidationError('Send the version of the audit your change is based on.', [
      { field: 'version', message: 'must be the audit’s version number, as last read' },
    ]);
  return value as number;
}

export type AuditsService = ReturnType<typeof createAuditsService>;

export function createAuditsService(
  db: Database,
  activityLog: ActivityLog,
  frameworks: FrameworksService,
  escalations: Pick<EscalationsService, 'escalate'>,
  remediation: Pick<RemediationService, 'reconsider'>,
) {
  const recentSaves = createRecentSaves();

  async function load(ex: Executor, id: number): Promise<AuditRecord> {
    const audit = await auditRepository.find(ex, id);
    if (!audit) throw noSuchAudit(id);
    return audit;
  }

  async function loadState(ex: Executor, id: number): Promise<AuditState> {
    const audit = await auditRepository.findState(ex, id);
    if (!audit) throw noSuchAudit(id);
    return audit;
  }

  /** Only the allocated auditor changes an audit; to those who may not even read it, it does not exist. */
  function editable(audit: AuditState, user: User, cancelledToo = false): void {
    const access = auditAccess(user, audit);
    if (!access.readSubmitted) throw noSuchAudit(audit.id);
    if (!access.edit) throw new ForbiddenError('This audit is not allocated to you.');
    if (audit.status === 'cancelled' && !cancelledToo)
      throw new ForbiddenError(
        'This audit was cancelled when its round closed: it can no longer be changed.',
      );
  }

  /** Refuses a change made from an old version, telling the client what the audit holds now. */
  async function stale(ex: Executor, audit: AuditState): Promise<never> {
    const now = await loadState(ex, audit.id);
    const revision = await auditRepository.findRevision(ex, now.id, now.revision);
    throw new StaleVersionError(
      'The audit has been saved by someone else (or in another tab) since you opened it. Nothing was saved: reload it, check the latest answers, then make your change again.',
      {
        version: now.version,
        status: now.status,
        revision: now.revision,
        response: revision?.response ?? {},
      },
    );
  }

  /** The audited case's facts, for the framework's case conditions. */
  async function factsOf(ex: Executor, id: number): Promise<CaseFacts> {
    const profile = await auditRepository.caseFactsOf(ex, id);
    if (!profile) throw noSuchAudit(id);
    return caseFacts(profile);
  }

  /**
   * The response pruned and checked with the case's facts beside it (any `case` a client sent is replaced);
   * what is returned, to store, holds no facts.
   */
  function checked(
    stored: StoredVersion,
    variant: 'draft' | 'submit',
    raw: unknown,
    facts: CaseFacts,
  ): AuditResponse {
    if (!isPlainObject(raw))
      throw new ValidationError('Send the response as a JSON object.', [
        { field: 'response', message: 'must be a JSON object' },
      ]);
    const response = pruneResponse(stored.framework, withCase(raw, facts));
    // The facts go to the check only for a framework that tests them: others' schemas know no `case`.
    const check = frameworks.checkResponse(
      stored,
      variant,
      readsCaseFacts(stored.framework) ? response : withoutCase(response),
    );
    const partsErrors = variant === 'submit' ? submissionErrors(stored.framework, response) : [];
    if (!check.ok || partsErrors.length > 0)
      throw new ValidationError(
        variant === 'submit'
          ? 'The audit cannot be submitted yet: answer or correct the questions listed.'
          : 'Some answers are not valid: correct them and save again.',
        [...(check.ok ? [] : check.errors), ...partsErrors],
      );
    return withoutCase(response);
  }

  /** Saves a draft inside `tx`, from version `version`; returns the new version. */
  async function saveDraftIn(
    tx: Executor,
    audit: AuditState,
    stored: StoredVersion,
    version: number,
    raw: unknown,
    actor: Actor,
  ) {
    if (audit.status === 'submitted') throw new AuditSubmittedError();
    const response = checked(stored, 'draft', raw, await factsOf(tx, audit.id));
    const revision = Math.max(audit.revision, 1);
    const next = await auditRepository.bumpVersion(tx, audit.id, version, {
      status: 'in_progress',
      revision,
    });
    if (next === undefined) return stale(tx, audit);
    if (audit.revision === 0)
      await auditRepository.insertRevision(tx, {
        auditId: audit.id,
        revision,
        response,
        userId: actor.userId,
      });
    else await auditRepository.updateDraft(tx, audit.id, revision, response, actor.userId);
    await activityLog.record(tx, actor, {
      action: 'audit.save_draft',
      recordType: 'audit',
      recordId: audit.id,
      summary: { after: { revision, version: next, sections: Object.keys(response.sections ?? {}) } },
    });
    // The framework's safeguarding question answered yes in the response itself (an API client, say)
    // escalates at once, as the concern page does; once per wording.
    const raised = response.safeguardingConcern;
    const details = raised?.raised ? raised.details?.trim() : undefined;
    if (details) {
      const recorded = await auditRepository.concerns(tx, audit.id);
      if (!recorded.some((c) => details.includes(c.details))) await recordConcern(tx, audit, details, actor);
    }
    return { version: next, revision, response };
  }

  /**
   * The usual draft save (a draft already started, no safeguarding concern in it) as one statement that
   * checks the version and the state the save was checked against, writes the draft and logs it; with a
   * read before it unless this server saved the same audit at the version sent (the usual case: an auditor
   * saving as they go). Undefined when it does not apply or the audit changed meanwhile: then the save runs
   * in a transaction, which answers a stale version with the audit as it is now.
   */
  async function saveDraftInOneStatement(
    id: number,
    version: number,
    raw: unknown,
    user: User,
    actor: Actor,
  ): Promise<{ version: number; revision: number; response: AuditResponse } | undefined> {
    let known = recentSaves.at(id, version);
    let facts: CaseFacts | undefined;
    if (!known) {
      const found = await auditRepository.findStateAndFacts(db.executor, id);
      if (!found) throw noSuchAudit(id);
      const { state } = found;
      editable(state, user);
      if (state.status === 'submitted') throw new AuditSubmittedError();
      if (state.revision === 0 || state.version !== version || state.auditorUserId === null) return undefined;
      facts = caseFacts(found.facts);
      known = { ...state, auditorUserId: state.auditorUserId };
    } else if (!user.roles.includes('auditor') || known.auditorUserId !== user.id) return undefined;
    const stored = await frameworks.get(known.frameworkId, known.frameworkVersion);
    // The case's facts are read again for a framework that tests them.
    if (!facts && readsCaseFacts(stored.framework)) return undefined;
    const response = checked(stored, 'draft', raw, facts ?? NO_FACTS);
    if (response.safeguardingConcern?.raised) return undefined;
    const event = activityLog.recordFrom('bumped', actor, {
      action: 'audit.save_draft',
      recordType: 'audit',
      recordId: id,
      summary: {
        after: {
          revision: known.revision,
          version: version + 1,
          sections: Object.keys(response.sections ?? {}),
        },
      },
    });
    const draft = {
      auditId: id,
      expected: version,
      revision: known.revision,
      auditorUserId: known.auditorUserId,
      restricted: user.roles.includes('admin') ? ('all' as const) : user.restrictedCaseRefs,
      response,
      userId: actor.userId,
    };
    const saved = await db.statement((ex) => auditRepository.saveDraftAt(ex, draft, event));
    if (saved === undefined) return undefined;
    recentSaves.remember(id, { ...known, version: saved });
    return { version: saved, revision: known.revision, response };
  }

  /** An audit as the user may see it. */
  async function detailOf(id: number, user: User): Promise<AuditDetail> {
    const audit = await load(db.executor, id);
    const allowed = auditAccess(user, audit);
    if (!allowed.readSubmitted) throw noSuchAudit(id);
    // A cancelled audit is kept to read, never to change.
    const access = audit.status === 'cancelled' ? { ...allowed, edit: false } : allowed;
    const revision = access.readDraft
      ? await auditRepository.findRevision(db.executor, id, audit.revision)
      : await auditRepository.latestSubmitted(db.executor, id);
    const revisions = (await auditRepository.listRevisions(db.executor, id)).filter(
      (r) => access.readDraft || r.status === 'submitted',
    );
    // Admins oversee moderation; an auditor never sees a moderator's own notes on their audit here.
    const moderation =
      user.roles.includes('admin') && audit.auditorUserId !== user.id
        ? await moderationSelection.currentWithGrades(db.executor, id)
        : undefined;
    return {
      audit,
      access,
      editable: access.edit && audit.status !== 'submitted',
      framework: await frameworks.get(audit.frameworkId, audit.frameworkVersion),
      revision,
      // With the case's facts beside it, so the pages show what applies to this case.
      response: withCase(revision?.response ?? {}, caseFacts(audit.profile)),
      revisions,
      concerns: await auditRepository.concerns(db.executor, id),
      ...(moderation ? { moderation } : {}),
    };
  }

  return {
    /** An audit as the user may see it, shown to them: the view is logged (once per page shown). */
    async get(id: number, user: User, actor: Actor): Promise<AuditDetail> {
      const detail = await detailOf(id, user);
      await activityLog.recordView(actor, 'audit', id);
      return detail;
    },

    /**
     * An audit as the user may see it, read to change it (a form posted): not a view. The change is
     * logged as itself, and the page the user is taken to next logs its own view.
     */
    load: detailOf,

    /** Saves the draft if nobody has saved since `version`; else a 409 with the current version. */
    async saveDraft(id: number, input: { version: unknown; response: unknown }, user: User, actor: Actor) {
      const version = versionOf(input.version);
      const saved = await saveDraftInOneStatement(id, version, input.response, user, actor);
      if (saved) return saved;
      return db.transaction(async (tx) => {
        const audit = await loadState(tx, id);
        editable(audit, user);
        // A save from an old version is refused before its response is checked (again, after the statement).
        if (audit.status !== 'submitted' && audit.version !== version) return stale(tx, audit);
        const stored = await frameworks.get(audit.frameworkId, audit.frameworkVersion);
        return saveDraftIn(tx, audit, stored, version, input.response, actor);
      });
    },

    /**
     * Submits the audit: the response (the one sent, or the saved draft) must satisfy the framework's
     * submission schema. The revision becomes an immutable, hashed snapshot; its grades are recorded for
     * reporting; and the round's moderation policy (a re-audit's: the default) decides whether it goes to
     * a moderator.
     */
    async submit(id: number, input: { version: unknown; response?: unknown }, user: User, actor: Actor) {
      let version = versionOf(input.version);
      return db.transaction(async (tx) => {
        let audit = await loadState(tx, id);
        editable(audit, user);
        if (audit.status === 'submitted')
          throw new AuditSubmittedError('This audit has already been submitted.');
        const stored = await frameworks.get(audit.frameworkId, audit.frameworkVersion);
        let draft: AuditResponse | undefined;
        if (input.response !== undefined) {
          const saved = await saveDraftIn(tx, audit, stored, version, input.response, actor);
          version = saved.version;
          audit = { ...audit, version: saved.version, revision: saved.revision, status: 'in_progress' };
          draft = saved.response;
        } else {
          draft = (await auditRepository.findRevision(tx, id, audit.revision))?.response;
        }
        const concerns = await auditRepository.concerns(tx, id);
        const response = withConcerns(stored.framework, draft ?? {}, concerns);
        const final = checked(stored, 'submit', response, await factsOf(tx, id));
        const next = await auditRepository.bumpVersion(tx, id, version, { status: 'submitted' });
        if (next === undefined) return stale(tx, audit);
        const hash = contentHash(final);
        const grades = gradeRows(stored.framework, final);
        const revisionId = await auditRepository.submit(tx, id, audit.revision, {
          response: final,
          hash,
          overallGrade: final.overall?.grade as string,
          userId: actor.userId,
        });
        await auditRepository.insertGrades(tx, revisionId, grades);
        const moderation = await selectForModeration(tx, audit, stored.framework, revisionId, grades);
        await activityLog.record(tx, actor, {
          action: 'audit.submit',
          recordType: 'audit',
          recordId: id,
          summary: {
            after: {
              revision: audit.revision,
              version: next,
              contentHash: hash,
              overallGrade: final.overall?.grade,
            },
          },
        });
        // After the submission's own entry, so the record's timeline reads in order.
        await remediation.reconsider(
          tx,
          {
            auditId: id,
            framework: stored.framework,
            grades,
            cause: 'submission',
            raised: answerFindings(stored.framework, final.sections ?? {}),
          },
          actor,
        );
        return { version: next, revision: audit.revision, contentHash: hash, moderation };
      });
    },

    /** Reopens a submitted audit for correction as a new draft revision; the submitted one is kept. */
    async reopen(id: number, input: { version: unknown; reason: unknown }, user: User, actor: Actor) {
      const version = versionOf(input.version);
      const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
      if (!reason || reason.length > MAX_REASON)
        throw new ValidationError('Say why the audit needs correcting.', [
          {
            field: 'reason',
            message: `Enter why the audit is being reopened (up to ${MAX_REASON} characters)`,
          },
        ]);
      return db.transaction(async (tx) => {
        const audit = await loadState(tx, id);
        editable(audit, user);
        if (audit.status !== 'submitted')
          throw new ValidationError('Only a submitted audit can be reopened.');
        const moderation = await moderationSelection.ofRevision(tx, id, audit.revision);
        if (moderation && moderation.status !== 'queued')
          throw new ValidationError(
            'A moderator has started on this audit, so it cannot be reopened: ask them to record the correction in the moderation outcome.',
          );
        const revision = audit.revision + 1;
        const next = await auditRepository.bumpVersion(tx, id, version, { status: 'in_progress', revision });
        if (next === undefined) return stale(tx, audit);
        const previous = await auditRepository.findRevision(tx, id, audit.revision);
        await auditRepository.insertRevision(tx, {
          auditId: id,
          revision,
          response: previous?.response ?? {},
          userId: actor.userId,
          reopenReason: reason,
        });
        if (moderation) await moderationSelection.cancel(tx, moderation.id);
        await activityLog.record(tx, actor, {
          action: 'audit.reopen',
          recordType: 'audit',
          recordId: id,
          summary: { after: { revision, version: next, moderationCancelled: Boolean(moderation) } },
        });
        return { version: next, revision };
      });
    },

    /**
     * Records an immediate safeguarding concern and escalates it at once to the case's team managers and
     * head of service (a role nobody holds goes on the administrators' Needs attention list). Unlike the
     * changes above it takes no version: a concern is added beside the audit and replaces nothing anyone
     * wrote, so a page opened before someone else's save must never stop it reaching a manager.
     */
    async raiseConcern(id: number, details: unknown, user: User, actor: Actor) {
      const text = typeof details === 'string' ? details.trim() : '';
      if (!text || text.length > 20000)
        throw new ValidationError('Describe the concern.', [
          { field: 'details', message: 'Enter what the concern is and what you have done so far' },
        ]);
      return db.transaction(async (tx) => {
        const audit = await loadState(tx, id);
        // A child found at risk is escalated even from an audit cancelled meanwhile.
        editable(audit, user, true);
        return recordConcern(tx, audit, text, actor);
      });
    },
  };

  /**
   * Records a concern and escalates it to the case's team managers and head of service; the outcome says
   * who received it and which role nobody holds (those escalations wait on Needs attention).
   */
  async function recordConcern(
    tx: Executor,
    audit: AuditState,
    details: string,
    actor: Actor,
  ): Promise<EscalationOutcome> {
    const concernId = await auditRepository.insertConcern(tx, {
      auditId: audit.id,
      userId: actor.userId,
      details,
    });
    const outcome = await escalations.escalate(tx, concernId, audit);
    await activityLog.record(tx, actor, {
      action: 'audit.safeguarding_concern',
      recordType: 'audit',
      recordId: audit.id,
      summary: {
        after: {
          concernId,
          escalatedTo: outcome.recipients.map((r) => ({ role: r.role, userId: r.userId })),
          reachedNobody: outcome.unrouted.map((u) => u.role),
        },
      },
    });
    return outcome;
  }

  async function selectForModeration(
    tx: Executor,
    audit: AuditState,
    framework: Framework,
    revisionId: number,
    grades: SectionGradeRow[],
  ) {
    // A re-audit has no round: it is moderated under the default policy, drawn by its record.
    const policy = audit.moderationPolicy ?? (audit.remediationRecordId !== null ? DEFAULT_MODERATION : null);
    const seed = audit.roundSeed ?? audit.remediationRecordId;
    if (!policy || seed === null) return undefined;
    const overall = grades.find((g) => g.sectionId === 'overall');
    const reason = moderationReason(policy, {
      overallRank: overall?.rank ?? null,
      worstRank: rankedLevels(scaleById(framework, framework.overall.scale)).length - 1,
      seed,
      auditId: audit.id,
      revision: audit.revision,
    });
    if (!reason) return undefined;
    await moderationSelection.select(tx, {
      auditId: audit.id,
      revisionId,
      reason,
      blind: policy.blind,
    });
    return { reason };
  }
}

/** The framework's safeguarding question answered from the concerns recorded, so the two always agree. */
function withConcerns(framework: Framework, response: AuditResponse, concerns: Concern[]): AuditResponse {
  if (!framework.safeguardingConcern) return response;
  if (concerns.length === 0)
    return { ...response, safeguardingConcern: response.safeguardingConcern ?? { raised: false } };
  return {
    ...response,
    safeguardingConcern: { raised: true, details: concerns.map((c) => c.details).join('\n\n') },
  };
}
