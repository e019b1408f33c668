/** A urlencoded form body as Express gives it: a field sent twice (checkboxes) is an array. */
export type FormValues = Record<string, string | string[] | undefined>;

/** A single field's value, trimmed; '' when missing. */
export function one(values: FormValues, name: string): string {
  const value = values[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
}

/** Every value sent for a field (checkboxes), blanks left out. */
export function many(values: FormValues, name: string): string[] {
  const value = values[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((v) => v.trim()).filter((v) => v !== '');
}

/** A whole number written plainly, within bounds; undefined otherwise. */
export function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

const isFormValue = (value: unknown): value is string | string[] =>
  typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));

/**
 * The request body as form values: its text fields only. Pages are posted as forms, whose fields are always
 * text, but anyone can post JSON to them; its numbers, objects and nulls count as fields not sent, rather
 * than reaching code that expects text. An unparsed body gives none.
 */
export function formValues(body: unknown): FormValues {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body).filter(([, value]) => isFormValue(value)));
}

/**
 * A date from the GOV.UK date input's three fields (`<name>-day`, `-month`, `-year`), as YYYY-MM-DD, or
 * the message the design system gives for what is wrong.
 */
export function dateFrom(
  values: FormValues,
  name: string,
  what: string,
): { date: string } | { error: string } {
  const day = one(values, `${name}-day`);
  const month = one(values, `${name}-month`);
  const year = one(values, `${name}-year`);
  if (!day && !month && !year) return { error: `Enter ${what}` };
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
  if (missing.length > 0) return { error: `${capitalise(what)} must include a ${missing.join(' and ')}` };
  const d = wholeNumber(day, 1, 31);
  const m = wholeNumber(month, 1, 12);
  const y = wholeNumber(year, 1000, 9999);
  if (d === undefined || m === undefined || y === undefined)
    return { error: `${capitalise(what)} must be a real date` };
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return { error: `${capitalise(what)} must be a real date` };
  return { date: date.toISOString().slice(0, 10) };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
