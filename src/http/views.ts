import { dateAndTime, longDate } from '../dates';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { ROLE_LABELS, isRole } from '../auth/roles';
import { TEAM_KIND_LABELS, type TeamKind } from '../organisation/types';
import { newFormKey } from '../idempotency/form-key';
import { TEMPLATES_DIR } from '../paths';
import { registerTableRegion } from './table-region';

type Template = Handlebars.TemplateDelegate;

function listTemplates(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.hbs'))
    .map((file) => file.replace(/\\/g, '/').replace(/\.hbs$/, ''));
}

function registerHelpers(hbs: typeof Handlebars): void {
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

export interface Views {
  /** Renders `templates/pages/<page>.hbs` inside `templates/layouts/<layout>.hbs` (default `main`). */
  render(page: string, context: Record<string, unknown>): string;
  has(page: string): boolean;
}

/**
 * Compiles every template once, with HTML escaping on. Only the layout's `{{{body}}}` is unescaped, and it
 * holds a page these same templates rendered.
 */
export function createViews(dir: string = TEMPLATES_DIR): Views {
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  const compileAll = (sub: string): Map<string, Template> =>
    new Map(
      listTemplates(path.join(dir, sub)).map((name) => [
        name,
        hbs.compile(readFileSync(path.join(dir, sub, `${name}.hbs`), 'utf8'), {
          strict: false,
          preventIndent: true,
        }),
      ]),
    );
  for (const name of listTemplates(path.join(dir, 'partials'))) {
    hbs.registerPartial(name, readFileSync(path.join(dir, 'partials', `${name}.hbs`), 'utf8'));
  }
  const pages = compileAll('pages');
  const layouts = compileAll('layouts');

  return {
    has: (page) => pages.has(page),
    render(page, context) {
      const template = pages.get(page);
      if (!template) throw new Error(`No template pages/${page}.hbs`);
      const body = template(context);
      if (context.layout === false) return body;
      const layoutName = typeof context.layout === 'string' ? context.layout : 'main';
      const layout = layouts.get(layoutName);
      if (!layout) throw new Error(`No template layouts/${layoutName}.hbs`);
      return layout({ ...context, body });
    },
  };
}
