import { periodOfMonth } from '../reporting/months';
import { dayNumber, isoDay, isWeekend } from '../working-days/arithmetic';
import type { AuditShift } from './history-repository';

/** Closing after the response: two to five weeks, by the audit's place in its round. */
const closingWeeks = (i: number) => 2 + (i % 4);
/** A re-audit comes about 40 working days after the record closes. */
const REAUDIT_DAYS = 56;
/** The management response comes a few days after the audit. */
const RESPONSE_DAYS = 4;

/** The weekdays of a month up to the 26th: when a month's audits are submitted. */
function auditDays(month: string): string[] {
  const { from } = periodOfMonth(month);
  const first = dayNumber(from);
  return Array.from({ length: 26 }, (_, d) => isoDay(first + d)).filter((day) => !isWeekend(day));
}

/**
 * When each history audit of a month happened, as days back from today: submitted on a weekday of its
 * month (spread over the month), answered four days later, closed two to five weeks after that, re-audited
 * some 56 days after closing if that day has come (else the re-audit is still to do).
 */
export function shiftsOf(
  auditIds: readonly number[],
  month: string,
  monthIndex: number,
  today: string,
): Map<number, AuditShift> {
  const days = auditDays(month);
  const now = dayNumber(today);
  return new Map(
    auditIds.map((auditId, i) => {
      const submitted = now - dayNumber(days[(i * 7 + monthIndex * 3) % days.length] as string);
      const responded = Math.max(0, submitted - RESPONSE_DAYS);
      const closed = Math.max(0, responded - closingWeeks(i) * 7);
      const reaudited = closed - REAUDIT_DAYS >= 1 ? closed - REAUDIT_DAYS : null;
      return [
        auditId,
        {
          auditId,
          submittedDays: submitted,
          respondedDays: responded,
          closedDays: closed,
          reauditedDays: reaudited,
        },
      ];
    }),
  );
}

/** A past month's round: planned five days before the month, due on its last day, closed three days later. */
export function datesOfMonth(
  month: string,
  today: string,
): { createdOn: string; dueOn: string; closedOn: string } {
  const { from, to } = periodOfMonth(month);
  const closed = Math.min(dayNumber(to) + 3, dayNumber(today) - 1);
  return { createdOn: isoDay(dayNumber(from) - 5), dueOn: to, closedOn: isoDay(closed) };
}
