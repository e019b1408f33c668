import { addMonths, monthsBetween } from '../reporting/months';
import { dayNumber, isoDay, isWeekend } from '../working-days/arithmetic';
import { datesOfMonth, shiftsOf } from './history-dates';

describe('when the demo history happened', () => {
  const today = '2026-11-26';
  const months = monthsBetween(addMonths('2026-11', -12), addMonths('2026-11', -1));

  it.each(months.map((month, index) => [month, index] as const))(
    '%s: submitted on a weekday of the month, then answered, closed and re-audited in that order, never in the future',
    (month, index) => {
      const shifts = shiftsOf(
        Array.from({ length: 25 }, (_, i) => i + 1),
        month,
        index,
        today,
      );
      for (const s of shifts.values()) {
        const submitted = isoDay(dayNumber(today) - s.submittedDays);
        expect(submitted.slice(0, 7)).toBe(month);
        expect(isWeekend(submitted)).toBe(false);
        expect(s.respondedDays).toBeLessThanOrEqual(s.submittedDays);
        expect(s.closedDays).toBeLessThanOrEqual(s.respondedDays);
        expect(s.closedDays).toBeGreaterThanOrEqual(0);
        if (s.reauditedDays !== null) {
          expect(s.reauditedDays).toBeGreaterThanOrEqual(1);
          expect(s.reauditedDays).toBeLessThan(s.closedDays);
        }
      }
      const dates = datesOfMonth(month, today);
      expect(dates.createdOn < `${month}-01`).toBe(true);
      expect(dates.dueOn.slice(0, 7)).toBe(month);
      expect(dates.closedOn > dates.dueOn && dates.closedOn < today).toBe(true);
    },
  );
});
