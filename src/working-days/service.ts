import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { londonDate, longDate } from '../dates';
import type { Database } from '../db/transaction';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { compile, isPlainObject, toFieldErrors, type FromSchema } from '../validation';
import { isIsoDate, isWeekend } from './arithmetic';
import { workingDayCalendar } from './calendar';
import { isBankHoliday } from './holidays';
import { closureDayRepository, type ClosureDay } from './repository';

/** The longest reason a closure day takes. */
export const MAX_REASON = 200;

const newClosureDaySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['day', 'reason'],
  properties: {
    /** The day the council is closed (YYYY-MM-DD): a weekday that is not a bank holiday, today or later. */
    day: { type: 'string', format: 'date' },
    /** Why: “Christmas shutdown”. */
    reason: { type: 'string', minLength: 1, maxLength: MAX_REASON },
  },
} as const;
export type NewClosureDayInput = FromSchema<typeof newClosureDaySchema>;
const validateNewClosureDay = compile(newClosureDaySchema);

/** What is wrong with a day as a new closure day, if anything. */
function dayProblem(day: string, today: string): string | undefined {
  const date = longDate(day);
  if (day < today) return `The date must be today or in the future: ${date} has passed`;
  if (isWeekend(day))
    return `The date must be a weekday: ${date} is a ${weekdayName(day)}, not a working day anyway`;
  if (isBankHoliday(day)) return `${date} is a bank holiday, not a working day anyway`;
  return undefined;
}

const weekdayName = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });

/** What is wrong with a reason that is missing, blank or too long, in plain words. */
const reasonMessage = (reason: unknown) =>
  typeof reason === 'string' && reason.length > MAX_REASON
    ? `The reason must be ${MAX_REASON} characters or fewer`
    : 'Enter why the council is closed that day';

/**
 * A new closure day as sent, checked: its shape, then the day (not passed, not a weekend or bank holiday)
 * and the reason (not blank), every problem found in one pass.
 */
function checkedClosureDay(input: unknown): { data: NewClosureDayInput; reason: string } {
  const valid = validateNewClosureDay(input);
  const sent = isPlainObject(input) ? input : {};
  const errors = (valid ? [] : toFieldErrors(validateNewClosureDay.errors)).map((e) =>
    e.field === 'reason' && (sent.reason === undefined || typeof sent.reason === 'string')
      ? { field: 'reason', message: reasonMessage(sent.reason) }
      : e,
  );
  const wrong = (field: string) => errors.some((e) => e.field === field);
  if (typeof sent.day === 'string' && !wrong('day')) {
    const problem = dayProblem(sent.day, londonDate());
    if (problem) errors.push({ field: 'day', message: problem });
  }
  const reason = typeof sent.reason === 'string' ? sent.reason.trim() : '';
  if (typeof sent.reason === 'string' && !wrong('reason') && !reason)
    errors.push({ field: 'reason', message: reasonMessage('') });
  if (valid && errors.length === 0) return { data: input, reason };
  throw new ValidationError('The closure day is not valid.', errors);
}

/** The closure day at this address: an ISO date that is one, or a 404. */
function checkedDay(day: string): string {
  if (!isIsoDate(day)) throw new NotFoundError('There is no closure day at this address.');
  return day;
}

export type WorkingDaysService = ReturnType<typeof createWorkingDaysService>;

/**
 * The council's closure days, set by admins, and the working-day calendar they make with weekends and
 * England and Wales bank holidays. Every change is recorded in the audit log in its own transaction.
 */
export function createWorkingDaysService(db: Database, activityLog: ActivityLog) {
  const ex = db.executor;
  return {
    /** Every closure day, earliest first, past ones included. */
    list: (): Promise<ClosureDay[]> => closureDayRepository.list(ex),

    /**
     * Adds a closure day. Refused: anything but a real date, a day already passed, a weekend or a bank
     * holiday (never working days anyway), a blank reason (422), and a day that is a closure day already
     * (409).
     */
    async add(input: unknown, actor: Actor): Promise<ClosureDay> {
      const { data, reason } = checkedClosureDay(input);
      await db.transaction(async (tx) => {
        const added = await closureDayRepository.insert(tx, {
          day: data.day,
          reason,
          createdByUserId: actor.userId,
        });
        if (!added) {
          const message = `${longDate(data.day)} is already a closure day`;
          throw new ConflictError(`${message}.`, [{ field: 'day', message }]);
        }
        await activityLog.record(tx, actor, {
          action: 'council_closure_day.create',
          recordType: 'council_closure_day',
          recordId: data.day,
          summary: { after: { day: data.day, reason } },
        });
      });
      return (await closureDayRepository.find(ex, data.day)) as ClosureDay;
    },

    /**
     * Removes a closure day that has not yet passed (a past one has already shaped the due dates counted
     * across it, so it stays): 404 when there is none that day, 409 when it has passed.
     */
    async remove(day: string, actor: Actor): Promise<ClosureDay> {
      checkedDay(day);
      return db.transaction(async (tx) => {
        const found = await closureDayRepository.find(tx, day);
        if (!found) throw new NotFoundError(`There is no closure day on ${longDate(day)}.`);
        if (day < londonDate())
          throw new ConflictError(
            `${longDate(day)} has passed: it stays a closure day, as due dates were counted across it.`,
            [{ field: 'day', message: `${longDate(day)} has passed` }],
          );
        await closureDayRepository.remove(tx, day);
        await activityLog.record(tx, actor, {
          action: 'council_closure_day.remove',
          recordType: 'council_closure_day',
          recordId: day,
          summary: { before: { day, reason: found.reason } },
        });
        return found;
      });
    },

    /** The working-day calendar as it stands: weekends, bank holidays and closure days are not working days. */
    calendar: () => workingDayCalendar(ex),
  };
}
