import { longDate } from '../dates';
import { Router, type Request, type Response } from 'express';
import { ValidationError } from '../errors';
import { fieldView, type ChoiceField } from '../http/form-fields';
import { formValues, one } from '../http/form-values';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { idParam } from '../http/params';
import type { LookupServices } from './journey/lookups';
import { previewView } from './preview-view';
import type { AuditRow } from './repository';
import type { RoundPreview, RoundsService } from './service';
import type { RoundProgressService } from './progress-service';
import type { RoundClosingService } from './close-service';
import { roundListView, roundPageView } from './views';
import { mayUse } from '../auth/access';
import type { RoundInput } from './types';
import { policyText } from '../moderation/policy';
import { planFacts } from './plan-facts';

export function roundRoutes(
  services: LookupServices & {
    rounds: RoundsService;
    roundProgress: RoundProgressService;
    roundClosing: RoundClosingService;
  },
): Router {
  const { rounds, roundProgress } = services;
  const router = Router();

  router.get('/rounds', requireAccess('roundProgress'), async (req, res) => {
    const user = currentUser(req);
    res.render('rounds/index', {
      title: 'Audit rounds',
      rounds: (await roundProgress.list(user)).map(roundListView),
      mayPlan: mayUse(user.roles, 'rounds'),
      hasDraft: Boolean(req.session.roundDraft),
    });
  });

  router.get('/rounds/:id', requireAccess('roundProgress'), async (req, res) => {
    const user = currentUser(req);
    const page = await roundProgress.page(idParam(req), user, actorOf(req));
    const { round } = page;
    const admin = mayUse(user.roles, 'rounds');
    res.render('rounds/show', {
      title: round.name,
      backLink: { href: '/rounds', text: 'Audit rounds' },
      ...roundPageView(page, user),
      ...(admin
        ? {
            admin: true,
            facts: await planFacts(services, user, round),
            moderationPolicy: policyText(round.moderation),
            preview: previewView(round.summary as RoundPreview, (round.plan as RoundInput).size),
            previewHeading: 'What the plan gave when the round was created',
          }
        : {}),
    });
  });

  router.use(['/rounds/:id/audits', '/reaudits'], requireAccess('rounds'));

  /** Where an audit's allocation is made: its round's page, or for a re-audit its remediation record's. */
  const homeOf = (req: Request) => (req.params.id === undefined ? null : idParam(req));
  const placeOf = (audit: AuditRow) =>
    audit.roundId === null
      ? {
          formAction: `/reaudits/${audit.id}/allocate`,
          back: { href: `/remediations/${audit.remediationRecordId}`, text: 'Remediation record' },
        }
      : {
          formAction: `/rounds/${audit.roundId}/audits/${audit.id}/reallocate`,
          back: { href: `/rounds/${audit.roundId}`, text: audit.roundName },
        };

  /** The choice of auditor, each conflict of interest shown and refused. */
  async function renderReallocation(req: Request, res: Response, status = 200, error?: ValidationError) {
    const { audit, history, auditors } = await rounds.reallocation(
      homeOf(req),
      idParam(req, 'auditId'),
      currentUser(req),
      actorOf(req),
    );
    const place = placeOf(audit);
    const values = formValues(req.body);
    const chosen = error ? one(values, 'auditorUserId') : String(audit.auditorUserId ?? 'none');
    const field: ChoiceField = {
      kind: 'radios',
      name: 'auditorUserId',
      legend: `Who should audit case ${audit.caseRef}?`,
      isPageHeading: true,
      hint: `${audit.teamName}. Due ${longDate(audit.dueDate)}.`,
      items: [
        ...auditors.map((u) => ({
          value: String(u.id),
          text: u.displayName,
          hint: u.conflict ? `Cannot audit this case: ${u.conflict}` : undefined,
          checked: chosen === String(u.id),
        })),
        { value: 'none', text: 'No one for now', dividerBefore: 'or', checked: chosen === 'none' },
      ],
    };
    const errors: Record<string, string> = {};
    for (const e of error?.fieldErrors ?? []) errors[e.field] = e.message;
    if (error && error.fieldErrors.length === 0) errors.auditorUserId = error.message;
    res.status(status).render('rounds/reallocate', {
      title: `Reallocate the ${audit.remediationRecordId === null ? 'audit' : 're-audit'} of case ${audit.caseRef}`,
      backLink: place.back,
      formAction: place.formAction,
      audit,
      history,
      fields: [fieldView(field, errors)],
      errors,
      reason: error ? one(values, 'reason') : '',
      errorList: Object.entries(errors).map(([field, message]) => ({ field, message })),
    });
  }

  router.get(['/rounds/:id/audits/:auditId/reallocate', '/reaudits/:auditId/allocate'], (req, res) =>
    renderReallocation(req, res),
  );

  router.post(['/rounds/:id/audits/:auditId/reallocate', '/reaudits/:auditId/allocate'], async (req, res) => {
    const values = formValues(req.body);
    const choice = one(values, 'auditorUserId');
    let audit: AuditRow;
    try {
      if (!choice) {
        throw new ValidationError('Select who should audit the case.', [
          { field: 'auditorUserId', message: 'Select who should audit the case, or no one for now' },
        ]);
      }
      audit = await rounds.reallocate(
        idParam(req, 'auditId'),
        choice === 'none' ? null : Number(choice),
        one(values, 'reason'),
        actorOf(req),
        homeOf(req),
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderReallocation(req, res, 422, err);
      return;
    }
    req.session.notice = { text: 'The audit’s allocation was saved.', success: true };
    res.redirect(303, placeOf(audit).back.href);
  });

  return router;
}
