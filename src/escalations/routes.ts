import { Router, type Request, type Response } from 'express';
import { ConflictError, ValidationError } from '../errors';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { errorListFor, fieldView, type Field, type FieldErrors } from '../http/form-fields';
import { formValues, one } from '../http/form-values';
import { idParam } from '../http/params';
import type { EscalationsService } from './service';
import { escalationView } from './views';

/**
 * The Escalations inbox of team managers and heads of service (administrators read every escalation), one
 * concern's page with "I have seen this", and the administrators' Needs attention list with the choice of
 * who receives a concern that reached nobody. Plain forms: no script needed.
 */
export function escalationRoutes(escalations: EscalationsService): Router {
  const router = Router();
  router.use('/escalations', requireAccess('escalations'));
  router.use('/needs-attention', requireAccess('needsAttention'));

  router.get('/escalations', async (req, res) => {
    const user = currentUser(req);
    const inbox = await escalations.inbox(user, actorOf(req));
    const isAdmin = user.roles.includes('admin');
    res.render('escalations/index', {
      title: 'Escalations',
      receives: user.roles.includes('team_manager') || user.roles.includes('head_of_service'),
      toAcknowledge: inbox.toAcknowledge.map(escalationView),
      acknowledged: inbox.acknowledged.map(escalationView),
      all: inbox.all?.map(escalationView),
      needsAttentionCount: isAdmin ? (await escalations.needsAttention(user)).length : 0,
      isAdmin,
    });
  });

  router.get('/escalations/:id', async (req, res) => {
    const detail = await escalations.get(idParam(req), currentUser(req), actorOf(req));
    const { escalation } = detail;
    res.render('escalations/show', {
      title: `Safeguarding concern – case ${escalation.caseRef}`,
      backLink: { href: '/escalations', text: 'Escalations' },
      ...detail,
      escalation: escalationView(escalation),
      concernRecipients: detail.concernRecipients.map(escalationView),
    });
  });

  router.post('/escalations/:id/acknowledgement', async (req, res) => {
    const escalation = await escalations.acknowledge(idParam(req), currentUser(req), actorOf(req));
    req.session.notice = {
      text: `You have said you have seen the safeguarding concern about case ${escalation.caseRef}.`,
      success: true,
    };
    res.redirect(`/escalations/${escalation.id}`);
  });

  router.get('/needs-attention', async (req, res) => {
    const list = await escalations.needsAttention(currentUser(req), actorOf(req));
    res.render('escalations/needs-attention', {
      title: 'Needs attention',
      escalations: list.map(escalationView),
    });
  });

  async function renderRecipientForm(req: Request, res: Response, errors: FieldErrors = {}, chosen = '') {
    const { escalation, routable, reason, candidates } = await escalations.recipientChoices(
      idParam(req),
      currentUser(req),
      actorOf(req),
    );
    if (!routable) {
      req.session.notice = { text: `This concern has already been sent to ${escalation.recipient?.name}.` };
      return res.redirect(`/escalations/${escalation.id}`);
    }
    const roleName = escalation.role === 'team_manager' ? 'team manager' : 'head of service';
    const field: Field = {
      kind: 'radios',
      name: 'userId',
      legend: 'Who should receive this concern?',
      legendSize: 'm',
      items: candidates.map((c) => ({
        value: String(c.id),
        text: c.name,
        hint: c.servesCase
          ? escalation.role === 'team_manager'
            ? `Manages ${escalation.teamName}`
            : `Leads ${escalation.serviceAreaName ?? 'its service area'}`
          : `A ${roleName} of other teams`,
        checked: chosen === String(c.id),
      })),
    };
    res.status(Object.keys(errors).length > 0 ? 422 : 200).render('escalations/recipient', {
      title: `Choose who receives the concern about case ${escalation.caseRef}`,
      backLink: { href: '/needs-attention', text: 'Needs attention' },
      escalation: escalationView(escalation),
      reason,
      roleName,
      field: fieldView(field, errors),
      hasCandidates: candidates.length > 0,
      noCandidatesText: `No active user is a ${roleName}. Give someone the role in Users and roles, then come back to choose them.`,
      errorList: errorListFor([field], errors),
    });
  }

  router.get('/escalations/:id/recipient', requireAccess('needsAttention'), (req, res) =>
    renderRecipientForm(req, res),
  );

  router.post('/escalations/:id/recipient', requireAccess('needsAttention'), async (req, res) => {
    const userId = one(formValues(req.body), 'userId');
    try {
      const escalation = await escalations.route(idParam(req), { userId }, currentUser(req), actorOf(req));
      req.session.notice = {
        text: `The safeguarding concern about case ${escalation.caseRef} has been sent to ${escalation.recipient?.name ?? ''}. It is now in their Escalations.`,
        success: true,
      };
      res.redirect('/needs-attention');
    } catch (err) {
      if (err instanceof ValidationError)
        return renderRecipientForm(req, res, { userId: err.fieldErrors[0]?.message ?? err.message }, userId);
      if (err instanceof ConflictError) {
        req.session.notice = { text: err.message };
        return res.redirect(`/escalations/${idParam(req)}`);
      }
      throw err;
    }
  });

  return router;
}
