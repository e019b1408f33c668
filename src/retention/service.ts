import { randomBytes } from 'node:crypto';
import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Database, Executor } from '../db/transaction';
import { NotFoundError, ValidationError, type FieldError } from '../errors';
import type { FrameworksService } from '../frameworks/service';
import { erasedResponse, PSEUDONYM_PREFIX, scrubbedSummary } from './erasure';
import { childDue, CLASS_CODES, classLabel, isDue, type ChildDue, type RetentionClass } from './policy';
import { retentionRepository as repo } from './repository';

/** Whether the sweep pseudonymises what is due, and how many children one run may take. */
export interface RetentionOptions {
  enforce: boolean;
  batchSize: number;
}

/** Children read from the database at a time while working out what is due. */
const PAGE = 1000;
/** The longest a birthday or a number of years may be. */
const MAX_YEARS = 150;
/** A child's record is kept at least until they are an adult. */
const MIN_BIRTHDAY = 18;

export interface DueReport {
  today: string;
  enforce: boolean;
  classes: (RetentionClass & { label: string })[];
  /** Children due, all of them. */
  totalDue: number;
  /** Children due by the class that keeps them longest, in the classes' order; classes with none left out. */
  byClass: { code: string; label: string; count: number }[];
  /** The children due, earliest due first, at most `limit` of them. */
  children: (ChildDue & { classLabel: string })[];
  /** Whether `children` is all of them. */
  complete: boolean;
}

export interface SweepResult {
  today: string;
  enforce: boolean;
  due: number;
  /** Children pseudonymised by this run (none in a dry run). */
  erased: number;
}

const whole = (value: unknown): number | undefined => {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,3}$/.test(text)) return undefined;
  return Number(text);
};

/**
 * A class as an admin sent it (form fields or JSON), checked: every problem at once, in plain words.
 */
export function checkedClass(code: string, input: unknown): RetentionClass {
  const sent = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const errors: FieldError[] = [];
  const basis = sent.basis === 'age' || sent.basis === 'years' ? sent.basis : undefined;
  if (!basis)
    errors.push({
      field: 'basis',
      message: 'Choose how long the record is kept: until a birthday, or for a number of years',
    });
  const years = whole(sent.years);
  if (basis === 'age' && (years === undefined || years < MIN_BIRTHDAY || years > MAX_YEARS))
    errors.push({
      field: 'years',
      message: `Enter the birthday as a whole number from ${MIN_BIRTHDAY} to ${MAX_YEARS}, such as 25 or 75`,
    });
  if (basis !== 'age' && (years === undefined || years < 1 || years > MAX_YEARS))
    errors.push({
      field: 'years',
      message: `Enter the number of years as a whole number from 1 to ${MAX_YEARS}, such as 35`,
    });
  const unknownAgeYears = whole(sent.unknownAgeYears);
  if (
    basis === 'age' &&
    (unknownAgeYears === undefined || unknownAgeYears < 1 || unknownAgeYears > MAX_YEARS)
  )
    errors.push({
      field: 'unknownAgeYears',
      message: `Enter the years kept when the age is unknown as a whole number from 1 to ${MAX_YEARS}, such as 75`,
    });
  if (errors.length > 0 || !basis || years === undefined)
    throw new ValidationError('The retention class is not valid.', errors);
  return { code, basis, years, unknownAgeYears: basis === 'age' ? (unknownAgeYears as number) : null };
}

/** The question types of a framework, by question id, for erasing free-text answers. */
type QuestionTypes = ReadonlyMap<string, string>;

export type RetentionService = ReturnType<typeof createRetentionService>;

/**
 * Retention of children's records: the classes admins set, the report of what is due on a day, and the
 * sweep that records a dry run or, when enforcement is on, pseudonymises what is due, one child per
 * transaction and at most `batchSize` children a run. Days are passed in, never read from the clock here.
 */
export function createRetentionService(
  db: Database,
  activityLog: ActivityLog,
  frameworks: Pick<FrameworksService, 'get'>,
  options: RetentionOptions,
) {
  const ex = db.executor;

  async function classes(): Promise<RetentionClass[]> {
    const stored = await repo.classes(ex);
    return CLASS_CODES.flatMap((code) => stored.filter((c) => c.code === code));
  }

  /** Every child due on `today`, earliest due first (then by reference). */
  async function dueOn(today: string, rules: readonly RetentionClass[]): Promise<ChildDue[]> {
    const due: ChildDue[] = [];
    for (let after = ''; ;) {
      const page = await repo.children(ex, { after, limit: PAGE });
      for (const facts of page) {
        const found = childDue(facts, rules);
        if (isDue(found, today)) due.push(found);
      }
      if (page.length < PAGE) break;
      after = (page.at(-1) as { caseRef: string }).caseRef;
    }
    return due.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.caseRef.localeCompare(b.caseRef));
  }

  async function questionTypes(frameworkId: string, version: string): Promise<QuestionTypes> {
    try {
      const { framework } = await frameworks.get(frameworkId, version);
      return new Map(framework.sections.flatMap((s) => s.questions.map((q) => [q.id, q.type] as const)));
    } catch (err) {
      if (err instanceof NotFoundError) return new Map();
      throw err;
    }
  }

  /**
   * Pseudonymises one child in the caller's transaction, if they are still due (another run may have done
   * it first): their case records, the free text of their audits, and the audit events about them.
   */
  async function erase(
    tx: Executor,
    child: ChildDue,
    rules: readonly RetentionClass[],
    today: string,
    actor: Actor,
  ) {
    const [facts] = await repo.children(tx, { refs: [child.caseRef] });
    const still = facts && childDue(facts, rules);
    if (!isDue(still, today)) return false;
    await repo.allowErasure(tx);
    const records = await repo.lockChild(tx, child.caseRef);
    if (records.caseIds.length === 0) return false;
    const pseudonym = `${PSEUDONYM_PREFIX}${randomBytes(6).toString('hex')}`;
    const cases = await repo.pseudonymiseCases(tx, child.caseRef, pseudonym);
    for (const revision of await repo.revisions(tx, records.auditIds)) {
      const types = await questionTypes(revision.frameworkId, revision.version);
      await repo.eraseRevision(tx, revision.id, erasedResponse(revision.response, types));
    }
    await repo.eraseAuditText(tx, records);
    for (const event of await repo.eventsAbout(tx, records)) {
      const scrubbed = scrubbedSummary(event.summary, child.caseRef, pseudonym);
      if (JSON.stringify(scrubbed) !== JSON.stringify(event.summary))
        await repo.rewriteEventSummary(tx, event.id, scrubbed);
    }
    await activityLog.record(tx, actor, {
      action: 'retention.erase',
      recordType: 'retention',
      recordId: pseudonym,
      summary: { after: { classCode: still.classCode, cases, audits: records.auditIds.length } },
    });
    return true;
  }

  return {
    /** The classes, in the order of the case types, adoption last. */
    async classes(): Promise<(RetentionClass & { label: string })[]> {
      return (await classes()).map((c) => ({ ...c, label: classLabel(c.code) }));
    },

    async getClass(code: string): Promise<RetentionClass & { label: string }> {
      const found = (await classes()).find((c) => c.code === code);
      if (!found) throw new NotFoundError('There is no retention class at this address.');
      return { ...found, label: classLabel(found.code) };
    },

    /** Changes a class (`{ basis, years, unknownAgeYears }`); refused with every problem named (422). */
    async updateClass(code: string, input: unknown, actor: Actor): Promise<RetentionClass> {
      const before = await this.getClass(code);
      const rule = checkedClass(code, input);
      await db.transaction(async (tx) => {
        await repo.updateClass(tx, rule, actor.userId);
        await activityLog.record(tx, actor, {
          action: 'retention_class.change',
          recordType: 'retention_class',
          recordId: code,
          summary: {
            before: { basis: before.basis, years: before.years, unknownAgeYears: before.unknownAgeYears },
            after: { basis: rule.basis, years: rule.years, unknownAgeYears: rule.unknownAgeYears },
          },
        });
      });
      return rule;
    },

    /** What is due on `today`: a dry run that changes nothing. */
    async report(today: string, limit = 200): Promise<DueReport> {
      const rules = await classes();
      const due = await dueOn(today, rules);
      const counts = new Map<string, number>();
      for (const child of due) counts.set(child.classCode, (counts.get(child.classCode) ?? 0) + 1);
      return {
        today,
        enforce: options.enforce,
        classes: rules.map((c) => ({ ...c, label: classLabel(c.code) })),
        totalDue: due.length,
        byClass: rules
          .filter((c) => counts.has(c.code))
          .map((c) => ({ code: c.code, label: classLabel(c.code), count: counts.get(c.code) as number })),
        children: due.slice(0, limit).map((c) => ({ ...c, classLabel: classLabel(c.classCode) })),
        complete: due.length <= limit,
      };
    },

    /**
     * The scheduled sweep on `today`. Enforcement off: records the dry run's counts in the audit log (no
     * case references). On: pseudonymises the children due, earliest due first, each in its own
     * transaction with its audit event, at most `batchSize` of them; the rest wait for the next run.
     * Running it again pseudonymises nothing more: a pseudonymised child is no longer anyone's reference.
     */
    async sweep(actor: Actor, today: string): Promise<SweepResult> {
      const rules = await classes();
      const due = await dueOn(today, rules);
      if (!options.enforce) {
        const byClass: Record<string, number> = {};
        for (const child of due) byClass[child.classCode] = (byClass[child.classCode] ?? 0) + 1;
        await db.transaction((tx) =>
          activityLog.record(tx, actor, {
            action: 'retention.dry_run',
            recordType: 'retention',
            recordId: today,
            summary: { after: { due: due.length, byClass } },
          }),
        );
        return { today, enforce: false, due: due.length, erased: 0 };
      }
      let erased = 0;
      for (const child of due.slice(0, options.batchSize))
        if (await db.transaction((tx) => erase(tx, child, rules, today, actor))) erased += 1;
      return { today, enforce: true, due: due.length, erased };
    },
  };
}
