import { Router, type Response } from 'express';
import { formErrorsOf, formView, type AdminField } from '../admin/fields';
import { actorOf } from '../http/actor';
import { requireAccess } from '../http/authorise';
import type { FieldErrors } from '../http/form-fields';
import { formValues, one, type FormValues } from '../http/form-values';
import { MEASURES } from './measures';
import type { TargetsService } from './targets';

const PAGE = '/admin/targets';
const MESSAGES = Object.fromEntries(
  MEASURES.map((m) => [m.code, 'Enter a percentage from 0 to 100, such as 80 or 72.5']),
);

const fields = (values: FormValues): AdminField[] =>
  MEASURES.map((m) => ({
    kind: 'input',
    name: m.code,
    label: m.label,
    hint: `${m.definition} ${m.direction === 'up' ? 'Higher is better.' : 'Lower is better.'} Leave blank for no target.`,
    value: one(values, m.code),
    inputmode: 'decimal',
    suffix: '%',
    width: 4,
  }));

/** The admins' page of the council's report targets: one percentage a measure, all saved together. */
export function targetPages(targets: TargetsService): Router {
  const router = Router();
  router.use(PAGE, requireAccess('admin'));

  function render(res: Response, values: FormValues, errors: FieldErrors = {}, status = 200) {
    res.status(status).render('admin/form', {
      title: 'Report targets',
      heading: 'Report targets',
      action: '/admin/targets',
      button: 'Save targets',
      backLink: { href: '/admin', text: 'Administration' },
      history: { href: '/admin/audit-log?recordType=report_target', text: 'Targets set and removed' },
      ...formView(fields(values), errors),
    });
  }

  router.get(PAGE, async (_req, res) => {
    const list = await targets.list();
    render(
      res,
      Object.fromEntries(list.map((m) => [m.code, m.targetPercent === null ? '' : String(m.targetPercent)])),
    );
  });

  router.post(PAGE, async (req, res) => {
    const values = formValues(req.body);
    try {
      await targets.set(Object.fromEntries(MEASURES.map((m) => [m.code, one(values, m.code)])), actorOf(req));
      req.session.notice = {
        text: 'The targets are saved: reports compare their figures with them.',
        success: true,
      };
      res.redirect(303, PAGE);
    } catch (err) {
      const { status, errors } = formErrorsOf(err, MESSAGES, MEASURES[0].code);
      render(res, values, errors, status);
    }
  });

  return router;
}
