import { Router, type Request, type Response } from 'express';
import { NotFoundError, ValidationError } from '../../errors';
import { actorOf } from '../../http/actor';
import { currentUser, requireAccess } from '../../http/authorise';
import { errorListFor, fieldView, type FieldErrors } from '../../http/form-fields';
import { formValues, type FormValues } from '../../http/form-values';
import { finalAction, repeatedResult } from '../../idempotency';
import { newSeed } from '../../sampling/rng';
import { previewView } from '../preview-view';
import type { RoundsService } from '../service';
import { toRoundInput, type RoundDraft } from './draft';
import { createLookups, type LookupServices } from './lookups';
import type { Step } from './step';
import { asked, findStep, mayOpen, nextPath, previousPath, stepForField } from './steps';

type Created = Awaited<ReturnType<RoundsService['create']>>;

/** The preview panel's content for a draft, or why it cannot be shown. */
async function previewFor(rounds: RoundsService, draft: RoundDraft) {
  const input = toRoundInput(draft, true);
  if (!input) return {};
  try {
    return { preview: previewView(await rounds.preview(input), input.size) };
  } catch (err) {
    if (err instanceof ValidationError)
      return { previewError: `The preview cannot be shown: ${err.message}` };
    throw err;
  }
}

/**
 * The round-planning journey: one question per page, answers kept in the session, a preview of what the
 * plan gives on the later pages and on the check-answers page. Works without JavaScript; with it, the
 * preview follows the answers as they are typed.
 */
export function roundJourneyRoutes(services: LookupServices & { rounds: RoundsService }): Router {
  const router = Router();
  router.use('/rounds/new', requireAccess('rounds'));

  const draftOf = (req: Request): RoundDraft | undefined => req.session.roundDraft;

  async function renderStep(
    req: Request,
    res: Response,
    step: Step,
    draft: RoundDraft,
    values?: FormValues,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const look = createLookups(services, currentUser(req));
    const blocked = await step.blocked?.(look);
    const fields = blocked ? [] : await step.fields(values ?? (await step.values(draft, look)), look, draft);
    const errorList = errorListFor(fields, errors);
    res.status(status).render('rounds/step', {
      title: step.title,
      backLink: { href: previousPath(draft, step), text: 'Back' },
      slug: step.slug,
      blocked,
      fields: fields.map((f) => fieldView(f, errors)),
      errorList: errorList.length > 0 ? errorList : undefined,
      previewed: step.previewed && !blocked,
      ...(step.previewed && !blocked ? await previewFor(services.rounds, draft) : {}),
    });
  }

  router.get('/rounds/new', (req, res) => {
    req.session.roundDraft ??= { seed: newSeed() };
    res.redirect(nextPath(req.session.roundDraft));
  });

  router.post('/rounds/new/discard', (req, res) => {
    delete req.session.roundDraft;
    req.session.notice = { text: 'The plan was discarded. Nothing was saved.' };
    res.redirect(303, '/rounds');
  });

  async function renderCheck(req: Request, res: Response, draft: RoundDraft, error?: ValidationError) {
    const look = createLookups(services, currentUser(req));
    const steps = [...asked(draft), findStep('seed') as Step];
    const rows = [];
    for (const step of steps) {
      rows.push({
        label: step.label,
        lowercaseLabel: step.label.toLowerCase(),
        value: await step.summary(draft, look),
        href: `/rounds/new/${step.slug}`,
      });
    }
    const errorList = error?.fieldErrors.map((e) => {
      const step = stepForField(e.field);
      return {
        field: e.field,
        href: step ? `/rounds/new/${step.slug}` : '#main-content',
        message: step ? `${step.label}: ${e.message}` : `${e.field}: ${e.message}`,
      };
    });
    res.status(error ? 422 : 200).render('rounds/check', {
      title: 'Check the plan before creating the round',
      backLink: { href: `/rounds/new/${asked(draft).at(-1)?.slug ?? ''}`, text: 'Back' },
      rows,
      errorList: error
        ? errorList?.length
          ? errorList
          : [{ field: 'main-content', message: error.message }]
        : undefined,
      ...(await previewFor(services.rounds, draft)),
    });
  }

  router.get('/rounds/new/check', async (req, res) => {
    const draft = draftOf(req);
    if (!draft || !toRoundInput(draft) || nextPath(draft) !== '/rounds/new/check') {
      res.redirect(draft ? nextPath(draft) : '/rounds/new');
      return;
    }
    await renderCheck(req, res, draft);
  });

  function roundCreated(req: Request, res: Response, name: string, created: Created) {
    delete req.session.roundDraft;
    const { total, unallocated } = created.preview;
    req.session.notice = {
      text: `${name} was created with ${total} audit${total === 1 ? '' : 's'}${unallocated.length ? `; ${unallocated.length} still to allocate` : ', all allocated'}.`,
      success: true,
    };
    res.redirect(303, `/rounds/${created.id}`);
  }

  router.post('/rounds/new/check', finalAction, async (req, res) => {
    const draft = draftOf(req);
    const input = draft && toRoundInput(draft);
    // The same form posted again after the round was created (its plan is gone from the session by then)
    // is answered as the first post was.
    const repeated = repeatedResult<Created>();
    if (repeated && !input) {
      const { round } = await services.rounds.get(repeated.id, actorOf(req));
      return roundCreated(req, res, round.name, repeated);
    }
    if (!draft || !input) {
      res.redirect(303, '/rounds/new');
      return;
    }
    let created: Created;
    try {
      created = await services.rounds.create(input, actorOf(req));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderCheck(req, res, draft, err);
      return;
    }
    roundCreated(req, res, input.name, created);
  });

  /** The step named in the path, if the draft has reached it; otherwise a redirect to where it has got to. */
  function stepFor(req: Request, res: Response): { step: Step; draft: RoundDraft } | undefined {
    const step = findStep(String(req.params.step));
    const draft = draftOf(req);
    if (!draft) {
      res.redirect(303, '/rounds/new');
      return undefined;
    }
    if (!step || !mayOpen(draft, step)) {
      res.redirect(303, nextPath(draft));
      return undefined;
    }
    return { step, draft };
  }

  router.get('/rounds/new/:step', async (req, res) => {
    const found = stepFor(req, res);
    if (found) await renderStep(req, res, found.step, found.draft);
  });

  router.post('/rounds/new/:step', async (req, res) => {
    const found = stepFor(req, res);
    if (!found) return;
    const { step, draft } = found;
    const values = formValues(req.body);
    const parsed = await step.parse(values, createLookups(services, currentUser(req)), draft);
    if ('errors' in parsed) {
      await renderStep(req, res, step, draft, values, parsed.errors, 422);
      return;
    }
    const updated = { ...draft, ...parsed.change };
    if (values.action === 'preview') {
      await renderStep(req, res, step, updated, values);
      return;
    }
    req.session.roundDraft = updated;
    res.redirect(303, nextPath(updated));
  });

  /** The preview panel alone, for the script that refreshes it as answers change. Saves nothing. */
  router.post('/rounds/new/:step/preview', async (req, res) => {
    const step = findStep(String(req.params.step));
    const draft = draftOf(req);
    // The page's script shows only a preview that came back; the words are for anyone else who asks.
    if (!step?.previewed || !draft)
      throw new NotFoundError('There is no round being set up with a preview at this step.');
    const parsed = await step.parse(formValues(req.body), createLookups(services, currentUser(req)), draft);
    if ('errors' in parsed)
      throw new ValidationError(
        'The answers cannot be previewed until they are corrected.',
        Object.entries(parsed.errors).map(([field, message]) => ({ field, message })),
      );
    res.render('rounds/preview-fragment', {
      layout: false,
      ...(await previewFor(services.rounds, { ...draft, ...parsed.change })),
    });
  });

  return router;
}
