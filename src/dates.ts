/**
 * Dates as the service shows and keeps them. Stored and sent as ISO dates (YYYY-MM-DD) in UK time; shown
 * in the GOV.UK style: "23 December 2026", "23 December 2026 at 3:04pm".
 */

const UK = 'Europe/London';
const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: UK });
const longDay = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: UK });
const longDayOfIso = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
const clock = new Intl.DateTimeFormat('en-GB', {
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: UK,
});
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The date in the UK (YYYY-MM-DD), today or `offsetDays` from now: due dates are UK dates. */
export function londonDate(offsetDays = 0): string {
  return isoDay.format(new Date(Date.now() + offsetDays * 86_400_000));
}

/**
 * "23 December 2026". An ISO date (a due date, a date of birth) is a calendar day, shown as written
 * whatever the time zone; an instant is shown as its day in the UK. Anything else shows as nothing.
 */
export function longDate(value: unknown): string {
  if (typeof value === 'string' && ISO_DATE.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    return Number.isNaN(day.getTime()) ? value : longDayOfIso.format(day);
  }
  const instant = asInstant(value);
  return instant ? longDay.format(instant) : '';
}

/** "23 December 2026 at 3:04pm", the GOV.UK style for a moment. */
export function dateAndTime(value: unknown): string {
  const instant = asInstant(value);
  if (!instant) return '';
  return `${longDay.format(instant)} at ${clock.format(instant).replace(/\s/g, '').toLowerCase()}`;
}

function asInstant(value: unknown): Date | undefined {
  if (!(value instanceof Date) && typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
