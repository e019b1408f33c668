import path from 'node:path';
import type { Express } from 'express';
import { TEMPLATES_DIR } from '../paths';
import type { TemplateEngine } from '../templates/engine';

const PAGES_DIR = path.join(TEMPLATES_DIR, 'pages');

/** Lets res.render('teams/index', …) render `templates/pages/teams/index.hbs` with the compiled templates. */
export function setUpViewEngine(app: Express, templates: TemplateEngine): void {
  app.engine('hbs', (filePath: string, options: object, callback: (err: unknown, html?: string) => void) => {
    try {
      const page = path
        .relative(PAGES_DIR, filePath)
        .replace(/\\/g, '/')
        .replace(/\.hbs$/, '');
      callback(null, templates.render(page, options as Record<string, unknown>));
    } catch (err) {
      callback(err);
    }
  });
  app.set('views', PAGES_DIR);
  app.set('view engine', 'hbs');
  app.enable('view cache');
}
