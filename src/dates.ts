/** The date in the UK (YYYY-MM-DD), today or `offsetDays` from now: due dates are UK dates. */
export function londonDate(offsetDays = 0): string {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(date);
}
