import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR } from '../paths';
import { registerHelpers } from './helpers';

type Template = Handlebars.TemplateDelegate;

function listTemplates(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.hbs'))
    .map((file) => file.replace(/\\/g, '/').replace(/\.hbs$/, ''));
}

/** The handlebars templates of the top-level `templates/` folder, compiled: for web pages and, soon, emails. */
export interface TemplateEngine {
  /** Renders `templates/pages/<page>.hbs` inside `templates/layouts/<layout>.hbs` (default `main`). */
  render(page: string, context: Record<string, unknown>): string;
  has(page: string): boolean;
}

/**
 * Compiles every template once, with HTML escaping on. Only the layout's `{{{body}}}` is unescaped, and it
 * holds a page these same templates rendered.
 */
export function createTemplateEngine(dir: string = TEMPLATES_DIR): TemplateEngine {
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
