import type Handlebars from 'handlebars';
import { ROLE_LABELS, isRole } from '../auth/roles';
import { dateAndTime, longDate } from '../dates';
import { newFormKey } from '../idempotency/form-key';
import { TEAM_KIND_LABELS, type TeamKind } from '../organisation/types';
import { registerTableRegion } from './table-region';

/** The helpers every template may use: comparisons, dates, labels, lists, form keys and table regions. */
export function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('dateTime', (value: unknown) => dateAndTime(value));
  hbs.registerHelper('date', (value: unknown) => longDate(value));
  hbs.registerHelper('roleLabel', (role: string) => (isRole(role) ? ROLE_LABELS[role] : role));
  hbs.registerHelper('teamKindLabel', (kind: TeamKind) => TEAM_KIND_LABELS[kind] ?? kind);
  hbs.registerHelper('join', (items: unknown, separator: unknown) =>
    Array.isArray(items) ? items.join(typeof separator === 'string' ? separator : ', ') : '',
  );
  hbs.registerHelper(
    'plural',
    (count: number, singular: string, plural: string) => `${count} ${count === 1 ? singular : plural}`,
  );
  hbs.registerHelper('idempotencyKey', newFormKey);
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));
  registerTableRegion(hbs);
}
