import { Router, type Response } from 'express';
import { formErrorsOf, formView, type AdminField } from '../admin/fields';
import { londonDate } from '../dates';
import { actorOf } from '../http/actor';
import { requireAccess } from '../http/authorise';
import type { FieldErrors } from '../http/form-fields';
import { formValues, one, type FormValues } from '../http/form-values';
import { describeClass, type RetentionClass } from './policy';
import type { RetentionService } from './service';

const PAGE = '/admin/retention';
/** Children listed on the page; the API gives more on request. */
const LISTED = 200;

const MESSAGES: Record<string, string> = {
  basis: 'Choose how long the record is kept: until a birthday, or for a number of years',
  years: 'Enter the birthday or the number of years as a whole number',
  unknownAgeYears: 'Enter the years kept when the age is unknown as a whole number',
};

const fields = (values: FormValues): AdminField[] => [
  {
    kind: 'radios',
    name: 'basis',
    legend: 'How long is the record kept?',
    small: true,
    items: [
      {
        value: 'age',
        text: 'Until a birthday',
        hint: 'The latest birthday the age on the case list allows, so a record is never pseudonymised early.',
        checked: one(values, 'basis') === 'age',
      },
      {
        value: 'years',
        text: 'For a number of years after retention runs from',
        checked: one(values, 'basis') === 'years',
      },
    ],
  },
  {
    kind: 'input',
    name: 'years',
    label: 'Birthday, or number of years',
    hint: 'For a birthday, 18 to 150, such as 25 or 75. For years, 1 to 150, such as 35.',
    value: one(values, 'years'),
    inputmode: 'numeric',
    width: 3,
  },
  {
    kind: 'input',
    name: 'unknownAgeYears',
    label: 'Years kept when the age is unknown',
    hint: 'Until a birthday only: years after retention runs from, for a child whose age the case list does not give. Leave blank for a number of years.',
    value: one(values, 'unknownAgeYears'),
    inputmode: 'numeric',
    width: 3,
    suffix: 'years',
  },
];

const valuesOf = (rule: RetentionClass): FormValues => ({
  basis: rule.basis,
  years: String(rule.years),
  unknownAgeYears: rule.unknownAgeYears === null ? '' : String(rule.unknownAgeYears),
});

/**
 * The admins' retention pages: the classes and what is due today (a dry run: the page changes nothing),
 * and a form to change each class.
 */
export function retentionPages(retention: RetentionService): Router {
  const router = Router();
  router.use(PAGE, requireAccess('admin'));

  router.get(PAGE, async (_req, res) => {
    const report = await retention.report(londonDate(), LISTED);
    res.render('admin/retention/index', {
      title: 'Retention of children’s records',
      backLink: { href: '/admin', text: 'Administration' },
      ...report,
      classes: report.classes.map((c) => ({ ...c, rule: describeClass(c) })),
    });
  });

  async function render(
    res: Response,
    code: string,
    values: FormValues,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const rule = await retention.getClass(code);
    const action = `${PAGE}/classes/${rule.code}`;
    res.status(status).render('admin/form', {
      title: `Retention of ${rule.label.toLowerCase()} records`,
      caption: 'Retention class',
      heading: rule.label,
      action,
      button: 'Save the retention class',
      backLink: { href: PAGE, text: 'Retention of children’s records' },
      history: { href: '/admin/audit-log?recordType=retention_class', text: 'Retention classes changed' },
      ...formView(fields(values), errors),
    });
  }

  router.get(`${PAGE}/classes/:code`, async (req, res) => {
    const rule = await retention.getClass(String(req.params.code));
    await render(res, rule.code, valuesOf(rule));
  });

  router.post(`${PAGE}/classes/:code`, async (req, res) => {
    const code = String(req.params.code);
    const values = formValues(req.body);
    try {
      const saved = await retention.updateClass(
        code,
        {
          basis: one(values, 'basis'),
          years: one(values, 'years'),
          unknownAgeYears: one(values, 'unknownAgeYears'),
        },
        actorOf(req),
      );
      req.session.notice = { text: `Saved: ${describeClass(saved)}.`, success: true };
      res.redirect(303, PAGE);
    } catch (err) {
      const { status, errors } = formErrorsOf(err, MESSAGES, 'basis');
      await render(res, code, values, errors, status);
    }
  });

  return router;
}
