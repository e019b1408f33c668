import { Router, type Request, type Response } from 'express';
import { longDate } from '../dates';
import { ValidationError } from '../errors';
import { actorOf } from '../http/actor';
import { requireAccess } from '../http/authorise';
import { errorListFor, fieldView, type ChoiceField, type FieldErrors } from '../http/form-fields';
import { formValues, one } from '../http/form-values';
import { idParam } from '../http/params';
import { finalAction } from '../idempotency';
import {
  RoundAlreadyClosedError,
  type CloseInput,
  type CloseResult,
  type RoundClosingService,
} from './close-service';

const CARRY = 'carry-over:';

/** The form's single choice ("cancel", or "carry-over:<round id>") as the service's input. */
function inputFrom(values: ReturnType<typeof formValues>): CloseInput {
  const choice = one(values, 'unsubmitted');
  if (choice === 'cancel') return { unsubmitted: 'cancel', reason: one(values, 'reason') };
  if (choice.startsWith(CARRY)) {
    const id = Number(choice.slice(CARRY.length));
    return { unsubmitted: 'carry-over', ...(Number.isSafeInteger(id) ? { toRoundId: id } : {}) };
  }
  return {};
}

const audits = (n: number) => `${n} audit${n === 1 ? '' : 's'}`;

/** What the notice after closing says: what was done, in a sentence. */
export function closedNotice(result: CloseResult): string {
  if (result.outcome === 'cancelled')
    return `${result.name} is closed. ${audits(result.cancelled)} not yet submitted ${result.cancelled === 1 ? 'was' : 'were'} cancelled.`;
  if (result.outcome === 'carried_over')
    return `${result.name} is closed. ${audits(result.carriedOver)} not yet submitted ${result.carriedOver === 1 ? 'was' : 'were'} carried over to ${result.toRound?.name ?? 'another round'}.`;
  return `${result.name} is closed. Every audit had been submitted.`;
}

/** An administrator closes a round: what happens to its unsubmitted audits is stated, and chosen. */
export function roundCloseRoutes(closing: RoundClosingService): Router {
  const router = Router();
  router.use('/rounds/:id/close', requireAccess('rounds'));

  /** A round closed already: back to its page, saying so (nothing changed). */
  function alreadyClosed(req: Request, res: Response, err: RoundAlreadyClosedError) {
    req.session.notice = { text: err.message };
    res.redirect(303, `/rounds/${idParam(req)}`);
  }

  async function render(req: Request, res: Response, status = 200, error?: ValidationError) {
    const { round, unsubmitted, targets } = await closing.options(idParam(req));
    const values = formValues(req.body);
    const chosen = error ? one(values, 'unsubmitted') : '';
    const errors: FieldErrors = {};
    for (const e of error?.fieldErrors ?? [])
      errors[e.field === 'toRoundId' || e.field === '' ? 'unsubmitted' : e.field] = e.message;
    if (error && error.fieldErrors.length === 0) errors.unsubmitted = error.message;
    const field: ChoiceField = {
      kind: 'radios',
      name: 'unsubmitted',
      legend: `What should happen to the ${audits(unsubmitted)} not yet submitted?`,
      legendSize: 'm',
      items: [
        {
          value: 'cancel',
          text: 'Cancel them',
          hint: 'They leave their auditors’ lists and are shown as cancelled, with your reason. Any draft is kept to read, never to change. The children can be sampled again in a later round.',
          checked: chosen === 'cancel',
          conditional: [
            {
              kind: 'textarea',
              name: 'reason',
              label: 'Why are they cancelled?',
              hint: 'Their auditors will see this. Do not include anything about the children or families.',
              value: error ? one(values, 'reason') : '',
              rows: 3,
            },
          ],
        },
        ...targets.map((t, i) => ({
          value: `${CARRY}${t.id}`,
          text: `Carry them over to ${t.name}`,
          hint: `They keep their auditor and any draft, and become due when that round is (${longDate(t.dueDate)}).`,
          checked: chosen === `${CARRY}${t.id}`,
          ...(i === 0 ? { dividerBefore: 'or' } : {}),
        })),
      ],
    };
    res.status(status).render('rounds/close', {
      title: `Close ${round.name}`,
      backLink: { href: `/rounds/${round.id}`, text: round.name },
      round,
      unsubmitted,
      noTargets: targets.length === 0,
      fields: unsubmitted > 0 ? [fieldView(field, errors)] : [],
      errorList: errorListFor([field], errors),
    });
  }

  router.get('/rounds/:id/close', async (req, res) => {
    try {
      await render(req, res);
    } catch (err) {
      if (err instanceof RoundAlreadyClosedError) return alreadyClosed(req, res, err);
      throw err;
    }
  });

  router.post('/rounds/:id/close', finalAction, async (req, res) => {
    let result: CloseResult;
    try {
      result = await closing.close(idParam(req), inputFrom(formValues(req.body)), actorOf(req));
    } catch (err) {
      if (err instanceof RoundAlreadyClosedError) return alreadyClosed(req, res, err);
      if (err instanceof ValidationError) return render(req, res, 422, err);
      throw err;
    }
    req.session.notice = { text: closedNotice(result), success: true };
    res.redirect(303, `/rounds/${result.roundId}`);
  });

  return router;
}
