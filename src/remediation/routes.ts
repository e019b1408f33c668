import { Router, type Request, type Response } from 'express';
import { londonDate } from '../dates';
import { AppError, StaleVersionError, ValidationError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { errorListFor, fieldView, type FieldErrors } from '../http/form-fields';
import { dateFrom, formValues, one, wholeNumber } from '../http/form-values';
import { idParam } from '../http/params';
import {
  actionFields,
  actionView,
  boardView,
  findingText,
  RECORD_STATUS_WORDS,
  recordStatusColour,
} from './page-views';
import type { RemediationService } from './service';
import { overdueParts } from './views';
import { allowedMoves, STATUS_WORDS, type Mover } from './transitions';
import { mayVerify, owns, ownsAction } from './access';
import { reauditView } from './reaudit-view';

/** Words on each move's button, and the box it needs. */
const MOVE_BUTTONS = {
  in_progress: { text: 'Start', box: undefined },
  completed: {
    text: 'Mark completed',
    box: { name: 'evidence', label: 'Evidence: what was done and where it is recorded (optional)' },
  },
  verified: { text: 'Verify', box: { name: 'note', label: 'What you checked' } },
  open: { text: 'Send back to open', box: { name: 'reason', label: 'Why it goes back to open' } },
} as const;

/** Which form on the record page a refusal belongs to, and its field messages. */
interface Refusal {
  form: string;
  errors: FieldErrors;
  values: Record<string, string>;
}

/**
 * The Actions page (open records the user may see, by where they stand) and a record's page: its
 * findings, the management response and the actions, with the forms each user may use. Plain forms.
 */
export function remediationRoutes(remediation: RemediationService): Router {
  const router = Router();
  router.use(['/actions', '/remediations'], requireAccess('actions'));

  router.get('/actions', async (req, res) => {
    const items = await remediation.board(currentUser(req), actorOf(req));
    res.render('remediation/index', { title: 'Actions', ...boardView(items) });
  });

  async function renderRecord(req: Request, res: Response, id: number, refusal?: Refusal) {
    const user = currentUser(req);
    const detail = refusal ? await remediation.load(id, user) : await remediation.get(id, user, actorOf(req));
    const { record, framework } = detail;
    const today = londonDate();
    const values = refusal?.form === 'add' ? refusal.values : {};
    const fields = detail.mayAddActions ? actionFields(values, await remediation.ownerChoices(), record) : [];
    const addErrors = refusal?.form === 'add' ? refusal.errors : {};
    const movers = (task: { ownerPersonId: number }): Mover[] => [
      ...(record.status === 'open' && (owns(user, record) || ownsAction(user, task))
        ? (['owner'] as const)
        : []),
      ...(record.status === 'open' && mayVerify(user, record) ? (['verifier'] as const) : []),
    ];
    const errorList = refusal
      ? refusal.form === 'add'
        ? errorListFor(fields, addErrors)
        : Object.entries(refusal.errors).map(([field, message]) => ({
            field:
              refusal.form === 'response'
                ? `response-${field}`
                : `${refusal.form}-${refusal.values.status}-${field}`,
            message,
          }))
      : undefined;
    res.status(refusal ? 422 : 200).render('remediation/show', {
      title: `Remediation – case ${record.caseRef}`,
      backLink: { href: '/actions', text: 'Actions' },
      errorList,
      record: {
        ...record,
        statusText: RECORD_STATUS_WORDS[record.status],
        statusColour: recordStatusColour(record.status),
        findings: record.findings.map((f) => findingText(framework, f)),
        responseOverdue: overdueParts(record, detail.actions, today).response,
      },
      mayRespond: detail.mayRespond,
      response: {
        value: refusal?.form === 'response' ? refusal.values.response : '',
        error: refusal?.form === 'response' ? refusal.errors.response : undefined,
      },
      actions: detail.actions.map((action) => {
        const form = `action-${action.id}`;
        return {
          ...actionView(action, today),
          moves: allowedMoves(action.status, movers(action)).map((move) => {
            const button = MOVE_BUTTONS[move.to];
            const box = button.box && {
              ...button.box,
              id: `${form}-${move.to}-${button.box.name}`,
              error: refusal?.form === form ? refusal.errors[button.box.name] : undefined,
            };
            return { to: move.to, text: button.text, box, form };
          }),
        };
      }),
      mayAddActions: detail.mayAddActions,
      reaudit: reauditView(framework, detail.reaudit, user),
      timeline: detail.timeline,
      fields: fields.map((f) => fieldView(f, addErrors)),
    });
  }

  router.get('/remediations/:id', async (req, res) => {
    await renderRecord(req, res, idParam(req));
  });

  /** A refused change goes back to its form with the messages; a stale one to the page as it now is. */
  async function attempt(req: Request, res: Response, id: number, form: string, work: () => Promise<string>) {
    try {
      const notice = await work();
      req.session.notice = { text: notice, success: true };
      res.redirect(303, `/remediations/${id}`);
    } catch (err) {
      if (err instanceof StaleVersionError || (err instanceof AppError && err.status === 409)) {
        req.session.notice = { text: err.message };
        return res.redirect(303, `/remediations/${id}`);
      }
      if (!(err instanceof ValidationError)) throw err;
      const errors: FieldErrors = {};
      for (const e of err.fieldErrors) errors[e.field] ??= e.message;
      const values = formValues(req.body) as Record<string, string>;
      await renderRecord(req, res, id, { form, errors, values });
    }
  }

  router.post('/remediations/:id/response', async (req, res) => {
    const id = idParam(req);
    const values = formValues(req.body);
    await attempt(req, res, id, 'response', async () => {
      await remediation.respond(
        id,
        { version: wholeNumber(one(values, 'version'), 1, 2 ** 31) ?? 0, response: one(values, 'response') },
        currentUser(req),
        actorOf(req),
      );
      return 'Your management response has been recorded.';
    });
  });

  router.post('/remediations/:id/actions', async (req, res) => {
    const id = idParam(req);
    const values = formValues(req.body);
    const due = one(values, 'dueDate-day') || one(values, 'dueDate-month') || one(values, 'dueDate-year');
    const date = due ? dateFrom(values, 'dueDate', 'the due date') : undefined;
    await attempt(req, res, id, 'add', async () => {
      if (date && 'error' in date)
        throw new ValidationError(date.error, [{ field: 'dueDate', message: date.error }]);
      await remediation.addAction(
        id,
        {
          description: one(values, 'description'),
          intendedDifference: one(values, 'intendedDifference'),
          kind: one(values, 'kind') || undefined,
          ownerPersonId: wholeNumber(one(values, 'ownerPersonId'), 1, 2 ** 31) ?? 0,
          dueDate: date && 'date' in date ? date.date : undefined,
          dueReason: one(values, 'dueReason'),
        },
        currentUser(req),
        actorOf(req),
      );
      return 'The action has been added.';
    });
  });

  router.post('/actions/:id', async (req, res) => {
    const actionId = idParam(req);
    const values = formValues(req.body);
    const recordId = await remediation.recordOfAction(actionId, currentUser(req));
    const to = one(values, 'status');
    await attempt(req, res, recordId, `action-${actionId}`, async () => {
      await remediation.moveAction(
        actionId,
        {
          version: wholeNumber(one(values, 'version'), 1, 2 ** 31) ?? 0,
          status: to,
          reason: one(values, 'reason'),
          note: one(values, 'note'),
          evidence: one(values, 'evidence'),
        },
        currentUser(req),
        actorOf(req),
      );
      return `The action is now ${(STATUS_WORDS[to as keyof typeof STATUS_WORDS] ?? to).toLowerCase()}.`;
    });
  });

  return router;
}
