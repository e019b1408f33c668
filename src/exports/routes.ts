import { Router, type Request } from 'express';
import { formView } from '../admin/fields';
import { londonDate } from '../dates';
import { AppError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import type { Field, FieldErrors, SelectOption } from '../http/form-fields';
import { queryChoice } from '../http/params';
import { addMonths, monthName, monthsBetween } from '../reporting/months';
import { exportQueryOf, sendExport } from './api-routes';
import { EXPORT_FORMATS, type ExportsService } from './service';

const PAGE = '/reports/exports';

/** What the page says for each field the export refused. */
const MESSAGES: Record<string, (message: string) => string> = {
  framework: () => 'Select a framework',
  from: (message) =>
    message.includes('after')
      ? 'The period must start before it ends'
      : message.includes('three years')
        ? 'The period can be at most three years'
        : 'Select the month the period starts',
  to: () => 'Select the month the period ends',
  team: () => 'Select one of your teams, or all of them',
  format: () => 'Select CSV or Excel',
};

/** The refusal's problems by field, in the page's words; anything else is not the user's to fix. */
function errorsOf(err: unknown): FieldErrors {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  const errors: FieldErrors = {};
  for (const { field, message } of err.fieldErrors) errors[field] ??= MESSAGES[field]?.(message) ?? message;
  if (Object.keys(errors).length === 0) errors.framework = err.message;
  return errors;
}

/** The address's value of a field, as the form shows it again. */
const asked = (req: Request, name: string) =>
  typeof req.query[name] === 'string' ? req.query[name] : undefined;

/**
 * The export page: a GET form (it changes nothing, so it needs no CSRF token and works without JavaScript)
 * whose answer is the file itself, or the form again with an error summary.
 */
export function exportRoutes(service: ExportsService): Router {
  const router = Router();

  router.get(PAGE, requireAccess('exports'), async (req, res) => {
    const user = currentUser(req);
    let errors: FieldErrors = {};
    if (Object.keys(req.query).length > 0) {
      try {
        const format = queryChoice(req, 'format', EXPORT_FORMATS) ?? 'csv';
        return await sendExport(res, await service.download(user, exportQueryOf(req), format, actorOf(req)));
      } catch (err) {
        if (res.headersSent) throw err;
        errors = errorsOf(err);
      }
    }
    const options = await service.options(user);
    const thisMonth = londonDate().slice(0, 7);
    const months = monthsBetween(addMonths(thisMonth, -35), thisMonth)
      .reverse()
      .map((m) => ({ value: m, text: monthName(m) }));
    const select = (name: string, label: string, fallback: string, list: SelectOption[], hint?: string) => ({
      kind: 'select' as const,
      name,
      label,
      value: asked(req, name) ?? fallback,
      options: list,
      ...(hint ? { hint } : {}),
    });
    const fields: Field[] = [
      select(
        'framework',
        'Framework',
        '',
        [
          { value: '', text: 'Select a framework' },
          ...options.frameworks.map((f) => ({ value: f.id, text: f.title })),
        ],
        'The file has a column for each section’s grade and each question of this framework, all its versions together.',
      ),
      select('from', 'Submitted from the start of', addMonths(thisMonth, -11), months),
      select('to', 'To the end of', thisMonth, months, 'At most three years.'),
      select('team', 'Team', '', [
        { value: '', text: 'All your teams' },
        ...options.teams.map((t) => ({
          value: String(t.id),
          text: t.active ? t.name : `${t.name} (closed)`,
        })),
      ]),
      {
        kind: 'radios',
        name: 'format',
        legend: 'Format',
        legendSize: 's',
        small: true,
        items: [
          { value: 'csv', text: 'CSV', checked: asked(req, 'format') !== 'xlsx' },
          { value: 'xlsx', text: 'Excel (XLSX)', checked: asked(req, 'format') === 'xlsx' },
        ],
      },
    ];
    const failed = Object.keys(errors).length > 0;
    res.status(failed ? 400 : 200).render('reports/exports', {
      title: 'Export audit results',
      backLink: { href: '/reports', text: 'Reports' },
      ...formView(fields, errors),
    });
  });

  return router;
}
