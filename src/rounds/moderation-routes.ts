import { Router, type Request, type Response } from 'express';
import { ValidationError } from '../errors';
import { actorOf } from '../http/actor';
import { requireAccess } from '../http/authorise';
import { errorListFor, fieldView, type Field, type FieldErrors } from '../http/form-fields';
import { formValues, many, one, wholeNumber } from '../http/form-values';
import { idParam } from '../http/params';
import type { RoundsService } from './service';

function fields(policy: {
  samplePercent: string;
  allInadequate: boolean;
  allOutstanding: boolean;
  blind: boolean;
}): Field[] {
  return [
    {
      kind: 'input',
      name: 'samplePercent',
      label: 'Percentage of submitted audits to moderate at random',
      hint: 'A whole number from 0 to 100. Each audit is drawn from the round’s seed, so the selection can be checked later.',
      value: policy.samplePercent,
      width: 3,
      inputmode: 'numeric',
      suffix: '%',
    },
    {
      kind: 'checkboxes',
      name: 'always',
      legend: 'Always moderate',
      legendSize: 's',
      items: [
        { value: 'inadequate', text: 'Every audit graded inadequate overall', checked: policy.allInadequate },
        {
          value: 'outstanding',
          text: 'Every audit graded outstanding overall',
          checked: policy.allOutstanding,
        },
      ],
    },
    {
      kind: 'radios',
      name: 'blind',
      legend: 'Blind moderation?',
      legendSize: 's',
      hint: 'Blind: moderators record their own grades before they see the auditor’s. This gives a fair measure of agreement.',
      items: [
        { value: 'yes', text: 'Yes', checked: policy.blind },
        { value: 'no', text: 'No', checked: !policy.blind },
      ],
    },
  ];
}

/** Admins change a round's moderation policy; it applies to audits submitted from then on. */
export function roundModerationRoutes(rounds: RoundsService): Router {
  const router = Router();
  router.use('/rounds/:id/moderation', requireAccess('rounds'));

  async function render(
    req: Request,
    res: Response,
    values?: ReturnType<typeof formValues>,
    errors: FieldErrors = {},
  ) {
    const { round } = await rounds.get(idParam(req), actorOf(req));
    const policy = values
      ? {
          samplePercent: one(values, 'samplePercent'),
          allInadequate: many(values, 'always').includes('inadequate'),
          allOutstanding: many(values, 'always').includes('outstanding'),
          blind: one(values, 'blind') !== 'no',
        }
      : { ...round.moderation, samplePercent: String(round.moderation.samplePercent) };
    const list = fields(policy);
    res.status(Object.keys(errors).length > 0 ? 422 : 200).render('rounds/moderation', {
      title: 'Moderation policy',
      backLink: { href: `/rounds/${round.id}`, text: round.name },
      round,
      fields: list.map((f) => fieldView(f, errors)),
      errorList: errorListFor(list, errors),
    });
  }

  router.get('/rounds/:id/moderation', (req, res) => render(req, res));

  router.post('/rounds/:id/moderation', async (req, res) => {
    const values = formValues(req.body);
    const samplePercent = wholeNumber(one(values, 'samplePercent'), 0, 100);
    if (samplePercent === undefined)
      return render(req, res, values, { samplePercent: 'Enter a whole number from 0 to 100' });
    try {
      await rounds.setModeration(
        idParam(req),
        {
          samplePercent,
          allInadequate: many(values, 'always').includes('inadequate'),
          allOutstanding: many(values, 'always').includes('outstanding'),
          blind: one(values, 'blind') !== 'no',
        },
        actorOf(req),
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return render(req, res, values, { samplePercent: err.fieldErrors[0]?.message ?? err.message });
    }
    req.session.notice = {
      text: 'The moderation policy was saved. It applies to audits submitted from now on.',
      success: true,
    };
    res.redirect(303, `/rounds/${idParam(req)}`);
  });

  return router;
}
