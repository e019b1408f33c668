import { maySeeRestricted } from '../auth/scope';
import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Database } from '../db/transaction';
import { NotFoundError, ValidationError, type FieldError } from '../errors';
import type { FrameworksService } from '../frameworks/service';
import { CONFLICT_WORDS, conflictOf, standingOf } from '../conflicts/rule';
import type { UsersService } from '../users/service';
import type { User } from '../users/user';
import { compareGrades } from './compare';
import { calibrationRepository, type CalibrationAudit } from './repository';

export interface CalibrationInput {
  name: string;
  caseRef: string;
  frameworkId: string;
  frameworkVersion: string;
  dueDate: string;
  auditorUserIds: number[];
}

/** A real calendar date written YYYY-MM-DD (not 2099-02-30). */
const isDate = (value: unknown) =>
  typeof value === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test(value) &&
  !Number.isNaN(Date.parse(value)) &&
  new Date(value).toISOString().slice(0, 10) === value;

const hasSubmitted = (audit: CalibrationAudit) => Object.keys(audit.grades).length > 0;

export type CalibrationService = ReturnType<typeof createCalibrationService>;

export function createCalibrationService(
  db: Database,
  activityLog: ActivityLog,
  frameworks: FrameworksService,
  users: UsersService,
) {
  return {
    /**
     * Sets up a calibration exercise: each chosen auditor gets their own audit of the same case, graded as
     * usual and independently. Auditors with a conflict of interest with the case are refused.
     */
    async create(raw: unknown, actor: Actor): Promise<number> {
      const input = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<CalibrationInput>;
      const errors: FieldError[] = [];
      const name = typeof input.name === 'string' ? input.name.trim() : '';
      if (!name) errors.push({ field: 'name', message: 'Enter a name for the exercise' });
      if (!isDate(input.dueDate))
        errors.push({ field: 'dueDate', message: 'Enter the due date as a real date' });
      const ids = Array.isArray(input.auditorUserIds) ? [...new Set(input.auditorUserIds)] : [];
      if (ids.length < 2) errors.push({ field: 'auditorUserIds', message: 'Choose at least two auditors' });
      const found =
        typeof input.caseRef === 'string' && input.caseRef.trim()
          ? await calibrationRepository.caseByRef(db.executor, input.caseRef.trim())
          : undefined;
      if (!found)
        errors.push({ field: 'caseRef', message: 'Enter the reference of a case in an imported case list' });
      const version = await frameworks
        .get(String(input.frameworkId ?? ''), String(input.frameworkVersion ?? ''))
        .catch(() => undefined);
      if (!version) errors.push({ field: 'frameworkId', message: 'Choose a framework version' });
      const auditors = new Map((await users.listWithRole('auditor')).map((u) => [u.id, u]));
      for (const id of ids) {
        const auditor = auditors.get(id);
        if (!auditor) {
          errors.push({ field: 'auditorUserIds', message: `User ${id} is not an active auditor` });
          continue;
        }
        const conflict = found && conflictOf(standingOf(auditor), found);
        if (conflict)
          errors.push({
            field: 'auditorUserIds',
            message: `${auditor.displayName} cannot grade this case: ${CONFLICT_WORDS[conflict]}`,
          });
      }
      if (errors.length > 0 || !found || !version)
        throw new ValidationError('The calibration exercise could not be set up.', errors);
      return db.transaction(async (tx) => {
        const id = await calibrationRepository.insert(
          tx,
          {
            name,
            caseId: found.caseId,
            frameworkVersionId: version.versionId,
            dueDate: input.dueDate as string,
            userId: actor.userId,
          },
          ids,
        );
        await activityLog.record(tx, actor, {
          action: 'calibration.create',
          recordType: 'calibration_exercise',
          recordId: id,
          summary: {
            after: { name, caseId: found.caseId, frameworkVersionId: version.versionId, auditorUserIds: ids },
          },
        });
        return id;
      });
    },

    /** The exercises; of restricted cases, only those the user was granted (admins see all). */
    list: async (user: Pick<User, 'roles' | 'restrictedCaseRefs'>) =>
      (await calibrationRepository.list(db.executor)).filter((x) => maySeeRestricted(user, x)),

    /**
     * The exercise and where its auditors' grades differ; a view of case-level data, so logged. Grading is
     * independent: a participant who has not yet submitted their own audit sees who has submitted, never
     * anyone's grades.
     */
    async comparison(id: number, user: Pick<User, 'id' | 'roles' | 'restrictedCaseRefs'>, actor: Actor) {
      const exercise = await calibrationRepository.find(db.executor, id);
      if (!exercise || !maySeeRestricted(user, exercise))
        throw new NotFoundError(`There is no calibration exercise ${id}.`);
      const audits = await calibrationRepository.audits(db.executor, id);
      const { framework } = await frameworks.get(exercise.frameworkId, exercise.frameworkVersion);
      await activityLog.recordView(actor, 'calibration_exercise', id);
      const own = audits.find((a) => a.auditorUserId === user.id);
      if (own && !hasSubmitted(own)) {
        return {
          exercise,
          audits: audits.map((a) => ({ ...a, grades: {} })),
          comparison: {
            withheld: true as const,
            submitted: audits.filter(hasSubmitted).map((a) => a.auditorName),
            waitingFor: audits.filter((a) => !hasSubmitted(a)).map((a) => a.auditorName),
          },
        };
      }
      return {
        exercise,
        audits,
        comparison: { withheld: false as const, ...compareGrades(framework, audits) },
      };
    },
  };
}
