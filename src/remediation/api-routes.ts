import { Router } from 'express';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { idParam, queryChoice, queryId } from '../http/params';
import { londonDate } from '../dates';
import type { RemediationService } from './service';
import { overdueParts, recordJson } from './views';

/** The remediation API: records, their response and actions, and moving actions along. */
export function remediationApiRoutes(remediation: RemediationService): Router {
  const router = Router();
  router.use(['/remediations', '/actions'], requireAccess('actions'));

  router.get('/remediations', async (req, res) => {
    const overdue = queryChoice(req, 'overdue', ['true', 'false'] as const);
    const records = await remediation.list(
      currentUser(req),
      {
        status: queryChoice(req, 'status', ['open', 'closed', 'withdrawn'] as const),
        teamId: queryId(req, 'team'),
        ...(overdue === 'true' ? { overdueOn: londonDate() } : {}),
      },
      actorOf(req),
    );
    res.json({ remediations: records.map((record) => recordJson(record)) });
  });

  router.get('/remediations/:id', async (req, res) => {
    const detail = await remediation.get(idParam(req), currentUser(req), actorOf(req));
    res.json({
      ...recordJson(detail.record, detail),
      actions: detail.actions,
      timeline: detail.timeline.map((event) => ({
        at: event.occurredAt,
        action: event.action,
        text: event.sentence,
      })),
      overdue: overdueParts(detail.record, detail.actions),
      mayRespond: detail.mayRespond,
      mayAddActions: detail.mayAddActions,
      mayVerify: detail.mayVerify,
    });
  });

  router.post('/remediations/:id/response', async (req, res) => {
    res.json(await remediation.respond(idParam(req), req.body, currentUser(req), actorOf(req)));
  });

  router.post('/remediations/:id/actions', async (req, res) => {
    const { actionId } = await remediation.addAction(idParam(req), req.body, currentUser(req), actorOf(req));
    res
      .status(201)
      .location(`/api/remediations/${idParam(req)}`)
      .json({ actionId });
  });

  router.patch('/actions/:id', async (req, res) => {
    res.json(await remediation.moveAction(idParam(req), req.body, currentUser(req), actorOf(req)));
  });

  return router;
}
