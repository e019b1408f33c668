import { Router, type Request, type Response } from 'express';
import { ValidationError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { errorListFor, fieldView, type Field, type FieldErrors } from '../http/form-fields';
import { dateFrom, formValues, many, one, type FormValues } from '../http/form-values';
import { caseTitle } from '../http/page-title';
import { idParam } from '../http/params';
import type { Services } from '../services';

/** What the calibration pages use of the app's services. */
type CalibrationServices = Pick<Services, 'calibration' | 'frameworks' | 'users'>;

async function setUpFields(services: CalibrationServices, values: FormValues): Promise<Field[]> {
  const frameworks = await services.frameworks.list();
  const auditors = await services.users.listWithRole('auditor');
  const chosen = many(values, 'auditorUserIds');
  const [year = '', month = '', day = ''] = one(values, 'dueDate').split('-');
  return [
    {
      kind: 'input',
      name: 'name',
      label: 'Name of the exercise',
      hint: 'For example, “Calibration: neglect, December”.',
      value: one(values, 'name'),
    },
    {
      kind: 'input',
      name: 'caseRef',
      label: 'Case reference',
      hint: 'A case in an imported case list. Choose one with enough on file to judge.',
      value: one(values, 'caseRef'),
      width: 10,
    },
    {
      kind: 'radios',
      name: 'framework',
      legend: 'Framework',
      legendSize: 's',
      items: frameworks.map((f) => ({
        value: `${f.id}@${f.latest.version}`,
        text: `${f.latest.title}, version ${f.latest.version}`,
        checked: one(values, 'framework') === `${f.id}@${f.latest.version}`,
      })),
    },
    {
      kind: 'date',
      name: 'dueDate',
      legend: 'Due date',
      value: {
        day: one(values, 'dueDate-day') || day,
        month: one(values, 'dueDate-month') || month,
        year: one(values, 'dueDate-year') || year,
      },
    },
    {
      kind: 'checkboxes',
      name: 'auditorUserIds',
      legend: 'Auditors taking part',
      legendSize: 's',
      hint: 'Choose at least two. Each grades the case independently, as a normal audit.',
      items: auditors.map((a) => ({
        value: String(a.id),
        text: a.displayName,
        checked: chosen.includes(String(a.id)),
      })),
    },
  ];
}

const FIELD_OF: Record<string, string> = { frameworkId: 'framework', dueDate: 'dueDate' };

/** Calibration exercises' pages: the list, setting one up, and an exercise's comparison. */
export function calibrationRoutes(services: CalibrationServices): Router {
  const { calibration } = services;
  const router = Router();
  router.use('/calibration', requireAccess('calibration'));

  router.get('/calibration', async (req, res) => {
    res.render('calibration/index', {
      title: 'Calibration',
      exercises: await calibration.list(currentUser(req)),
      maySetUp: req.user?.roles.includes('admin'),
    });
  });

  async function renderNew(res: Response, values: FormValues = {}, errors: FieldErrors = {}) {
    const fields = await setUpFields(services, values);
    res.status(Object.keys(errors).length > 0 ? 422 : 200).render('calibration/new', {
      title: 'Set up a calibration exercise',
      backLink: { href: '/calibration', text: 'Calibration' },
      fields: fields.map((f) => fieldView(f, errors)),
      errorList: errorListFor(fields, errors),
    });
  }

  router.get('/calibration/new', requireAccess('rounds'), (_req, res) => renderNew(res));

  router.post('/calibration/new', requireAccess('rounds'), async (req: Request, res) => {
    const values = formValues(req.body);
    const [frameworkId = '', frameworkVersion = ''] = one(values, 'framework').split('@');
    const due = dateFrom(values, 'dueDate', 'the due date');
    try {
      const id = await calibration.create(
        {
          name: one(values, 'name'),
          caseRef: one(values, 'caseRef'),
          frameworkId,
          frameworkVersion,
          dueDate: 'date' in due ? due.date : '',
          auditorUserIds: many(values, 'auditorUserIds').map(Number),
        },
        actorOf(req),
      );
      req.session.notice = {
        text: 'The calibration exercise is set up: each auditor has it in My audits.',
        success: true,
      };
      res.redirect(303, `/calibration/${id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors: FieldErrors = {};
      for (const e of err.fieldErrors) errors[FIELD_OF[e.field] ?? e.field] ??= e.message;
      if ('error' in due && errors.dueDate) errors.dueDate = due.error;
      await renderNew(res, values, errors);
    }
  });

  router.get('/calibration/:id', async (req, res) => {
    const { exercise, comparison } = await calibration.comparison(
      idParam(req),
      currentUser(req),
      actorOf(req),
    );
    res.render('calibration/show', {
      title: caseTitle(exercise.name, exercise.caseRef),
      backLink: { href: '/calibration', text: 'Calibration' },
      exercise,
      comparison,
    });
  });

  return router;
}
