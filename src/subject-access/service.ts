import { createHash } from 'node:crypto';
import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Database, Executor } from '../db/transaction';
import { AppError, BadRequestError } from '../errors';
import { subjectAccessRepository as repo, type HeldRow } from './repository';

/**
 * Subject access requests (UK GDPR article 15): everything the service holds about one child, found by
 * their case reference across every case import, for the council's information governance team.
 */

/** Each kind of record an export holds, in the order its files and summary list them. */
export const KINDS = [
  {
    key: 'caseRecords',
    file: 'case-records.json',
    title: 'Case records',
    holds: 'The child’s row in each imported case list: team, worker, case type and the profile columns.',
  },
  {
    key: 'audits',
    file: 'audits.json',
    title: 'Audits',
    holds:
      'Each audit of the case in an audit round or a calibration exercise: framework, auditor, status, due date and every allocation.',
  },
  {
    key: 'auditRevisions',
    file: 'audit-revisions.json',
    title: 'Audit revisions',
    holds:
      'Every draft and submitted revision of those audits and the re-audits: the answers, notes and grades each held.',
  },
  {
    key: 'moderations',
    file: 'moderations.json',
    title: 'Moderations',
    holds: 'Each moderation of a submitted audit, with the auditor’s, moderator’s and agreed grades.',
  },
  {
    key: 'safeguardingConcerns',
    file: 'safeguarding-concerns.json',
    title: 'Safeguarding concerns',
    holds: 'Immediate safeguarding concerns raised during an audit, with what the auditor wrote.',
  },
  {
    key: 'escalations',
    file: 'escalations.json',
    title: 'Escalations',
    holds: 'Who each concern was escalated to, and when it was sent on and acknowledged.',
  },
  {
    key: 'remediationRecords',
    file: 'remediation-records.json',
    title: 'Remediation records',
    holds:
      'What an audit found that had to be acted on, the management response, and any escalation while overdue.',
  },
  {
    key: 'remediationActions',
    file: 'remediation-actions.json',
    title: 'Remediation actions',
    holds: 'The actions set for those records: what, by whom, by when, evidence and verification.',
  },
  {
    key: 'reaudits',
    file: 'reaudits.json',
    title: 'Re-audits',
    holds: 'Audits of the case scheduled when a remediation record closed, and every allocation.',
  },
  {
    key: 'calibrationExercises',
    file: 'calibration-exercises.json',
    title: 'Calibration exercises',
    holds: 'Calibration exercises on the case, in which several auditors graded it independently.',
  },
  {
    key: 'auditEvents',
    file: 'audit-log.json',
    title: 'Audit log entries',
    holds:
      'Who did what to each of these records, and who viewed them, from the audit log (earlier subject access requests too).',
  },
] as const;

export type KindKey = (typeof KINDS)[number]['key'];
export type Held = Record<KindKey, HeldRow[]>;
export type Counts = Record<KindKey, number>;

/** The longest case reference looked up: far longer than any council's. */
const MAX_REF_LENGTH = 100;

/** The case reference asked for, trimmed; anything that cannot be one is a 400 naming the field. */
export function caseRefOf(raw: unknown): string {
  const refuse = (message: string) => new BadRequestError(`${message}.`, [{ field: 'caseRef', message }]);
  if (raw !== undefined && typeof raw !== 'string') throw refuse('Enter one case reference');
  const caseRef = (raw ?? '').trim();
  if (caseRef === '') throw refuse('Enter a case reference');
  if (caseRef.length > MAX_REF_LENGTH)
    throw refuse(`A case reference must be ${MAX_REF_LENGTH} characters or fewer`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(caseRef)) throw refuse('A case reference cannot hold control characters');
  return caseRef;
}

/** The reference as the audit log keeps it: a SHA-256 hash, which finds a child's exports without naming them. */
export const caseRefHash = (caseRef: string) => createHash('sha256').update(caseRef, 'utf8').digest('hex');

export const countsOf = (held: Held): Counts =>
  Object.fromEntries(KINDS.map((k) => [k.key, held[k.key].length])) as Counts;

const idsOf = (rows: readonly HeldRow[], key = 'id') => rows.map((row) => Number(row[key]));

/** Everything held about the child of these case records, read on one executor. */
async function readHeld(ex: Executor, caseIds: readonly number[]): Promise<Held> {
  const [caseRecords, allAudits, calibrationExercises] = await Promise.all([
    repo.caseRecords(ex, caseIds),
    repo.audits(ex, caseIds),
    repo.calibrationExercises(ex, caseIds),
  ]);
  const auditIds = idsOf(allAudits);
  const [auditRevisions, moderations, safeguardingConcerns, remediationRecords] = await Promise.all([
    repo.auditRevisions(ex, auditIds),
    repo.moderations(ex, auditIds),
    repo.safeguardingConcerns(ex, auditIds),
    repo.remediationRecords(ex, auditIds),
  ]);
  const [escalations, remediationActions] = await Promise.all([
    repo.escalations(ex, idsOf(safeguardingConcerns)),
    repo.remediationActions(ex, idsOf(remediationRecords)),
  ]);
  const auditEvents = await repo.auditEvents(ex, [
    { recordType: 'audit', ids: auditIds },
    { recordType: 'escalation', ids: idsOf(escalations) },
    { recordType: 'remediation', ids: idsOf(remediationRecords) },
    { recordType: 'remediation_action', ids: idsOf(remediationActions) },
    { recordType: 'calibration_exercise', ids: idsOf(calibrationExercises) },
    { recordType: 'subject_access', ids: caseIds },
  ]);
  const isReaudit = (audit: HeldRow) => audit.remediation_record_id !== null;
  return {
    caseRecords,
    audits: allAudits.filter((a) => !isReaudit(a)),
    auditRevisions,
    moderations,
    safeguardingConcerns,
    escalations,
    remediationRecords,
    remediationActions,
    reaudits: allAudits.filter(isReaudit),
    calibrationExercises,
    auditEvents,
  };
}

/** What an export holds, as read in the transaction that logged it. */
export interface SubjectAccessExport {
  caseRef: string;
  caseIds: number[];
  exportedAt: Date;
  held: Held;
}

export type SubjectAccessService = ReturnType<typeof createSubjectAccessService>;

export function createSubjectAccessService(db: Database, activityLog: ActivityLog) {
  /** The child's case records, oldest import first; a reference no import listed is a 404 naming the field. */
  async function caseIdsOf(ex: Executor, caseRef: string): Promise<number[]> {
    const caseIds = await repo.caseIds(ex, caseRef);
    if (caseIds.length === 0) {
      const message = `No case with reference ${caseRef} has been imported`;
      throw new AppError(404, 'Not found', `${message}.`, [{ field: 'caseRef', message }]);
    }
    return caseIds;
  }

  return {
    /** How many records of each kind an export would hold; a view of case-level data, so logged. */
    async summary(raw: unknown, actor: Actor): Promise<{ caseRef: string; counts: Counts }> {
      const caseRef = caseRefOf(raw);
      const caseIds = await caseIdsOf(db.executor, caseRef);
      const held = await readHeld(db.executor, caseIds);
      await activityLog.recordView(actor, 'subject_access', caseIds.at(-1) as number);
      return { caseRef, counts: countsOf(held) };
    },

    /**
     * Everything held about the child, read and logged in one transaction: the audit log's entry records
     * the case records, the reference's hash and how many records of each kind went out, never the
     * reference itself nor anything about the child.
     */
    async export(raw: unknown, actor: Actor): Promise<SubjectAccessExport> {
      const caseRef = caseRefOf(raw);
      return db.transaction(async (tx) => {
        const caseIds = await caseIdsOf(tx, caseRef);
        const held = await readHeld(tx, caseIds);
        await activityLog.record(tx, actor, {
          action: 'subject_access.export',
          recordType: 'subject_access',
          recordId: caseIds.at(-1),
          summary: { caseIds, caseRefSha256: caseRefHash(caseRef), counts: countsOf(held) },
        });
        return { caseRef, caseIds, exportedAt: new Date(), held };
      });
    },
  };
}
