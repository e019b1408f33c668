import { Router, type Request, type Response } from 'express';
import { formErrorsOf, formView, type AdminField } from '../admin/fields';
import { londonDate, longDate } from '../dates';
import { actorOf } from '../http/actor';
import { requireAccess } from '../http/authorise';
import type { FieldErrors } from '../http/form-fields';
import { dateFrom, formValues, one, type FormValues } from '../http/form-values';
import { bankHolidays } from './holidays';
import type { WorkingDaysService } from './service';

const PAGE = '/admin/closure-days';
const listLink = { href: PAGE, text: 'Council closure days' };

const MESSAGES: Record<string, string> = {
  day: 'Enter the date the council is closed',
  reason: 'Enter why the council is closed that day',
};

const fields = (values: FormValues): AdminField[] => [
  {
    kind: 'date',
    name: 'day',
    legend: 'Date the council is closed',
    hint: 'A weekday that is not a bank holiday. For example, 24 12 2026',
    value: { day: one(values, 'day-day'), month: one(values, 'day-month'), year: one(values, 'day-year') },
  },
  {
    kind: 'input',
    name: 'reason',
    label: 'Reason',
    hint: 'For example, Christmas shutdown.',
    value: one(values, 'reason'),
  },
];

/** The bank holidays from today to a year ahead, for the page to show beside the closure days. */
function comingBankHolidays(today: string): string[] {
  const year = Number(today.slice(0, 4));
  const yearAhead = `${year + 1}${today.slice(4)}`;
  return [...bankHolidays(year, year + 1)].filter((day) => day >= today && day <= yearAhead);
}

/**
 * The admin pages of council closure days: the list with bank holidays beside it, adding a day (GOV.UK
 * date input and a reason) and removing one that has not passed. Admins only; forms work without
 * JavaScript and carry the CSRF token.
 */
export function closureDayPages(workingDays: WorkingDaysService): Router {
  const router = Router();
  router.use(PAGE, requireAccess('admin'));

  router.get(PAGE, async (_req, res) => {
    const today = londonDate();
    const days = await workingDays.list();
    res.render('admin/closure-days/index', {
      title: 'Council closure days',
      backLink: { href: '/admin', text: 'Administration' },
      upcoming: days.filter((d) => d.day >= today),
      past: days.filter((d) => d.day < today).reverse(),
      bankHolidays: comingBankHolidays(today),
    });
  });

  const newPage = {
    title: 'Add a closure day',
    heading: 'Add a closure day',
    action: '/admin/closure-days/new',
    button: 'Add the closure day',
    backLink: listLink,
  };

  function renderNew(res: Response, values: FormValues, errors: FieldErrors = {}, status = 200) {
    res.status(status).render('admin/form', { ...newPage, ...formView(fields(values), errors) });
  }

  router.get(`${PAGE}/new`, (_req, res) => renderNew(res, {}));

  router.post(`${PAGE}/new`, async (req: Request, res) => {
    const values = formValues(req.body);
    const date = dateFrom(values, 'day', 'the date the council is closed');
    try {
      const added = await workingDays.add(
        { day: 'date' in date ? date.date : '', reason: one(values, 'reason') },
        actorOf(req),
      );
      req.session.notice = {
        text: `${longDate(added.day)} is a closure day: it is not a working day.`,
        success: true,
      };
      res.redirect(303, PAGE);
    } catch (err) {
      const { status, errors } = formErrorsOf(err, MESSAGES, 'day');
      if ('error' in date) errors.day = date.error;
      renderNew(res, values, errors, status);
    }
  });

  router.post(`${PAGE}/:day/remove`, async (req, res) => {
    const removed = await workingDays.remove(String(req.params.day), actorOf(req));
    req.session.notice = {
      text: `${longDate(removed.day)} is no longer a closure day: it is a working day again.`,
      success: true,
    };
    res.redirect(303, PAGE);
  });

  return router;
}
