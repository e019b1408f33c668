import { Router, type Request } from 'express';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { idParam } from '../http/params';
import { isPlainObject } from '../validation';
import type { EscalationsService } from './service';
import { escalationJson } from './views';

const bodyOf = (req: Request): Record<string, unknown> => (isPlainObject(req.body) ? req.body : {});

/** The escalations API: the inbox, one escalation, acknowledging it; Needs attention and routing for admins. */
export function escalationApiRoutes(escalations: EscalationsService): Router {
  const router = Router();
  router.use('/escalations', requireAccess('escalations'));
  router.use('/needs-attention', requireAccess('needsAttention'));

  router.get('/escalations', async (req, res) => {
    const inbox = await escalations.inbox(currentUser(req), actorOf(req));
    res.json({
      toAcknowledge: inbox.toAcknowledge.map(escalationJson),
      acknowledged: inbox.acknowledged.map(escalationJson),
      ...(inbox.all ? { all: inbox.all.map(escalationJson) } : {}),
    });
  });

  router.get('/escalations/:id', async (req, res) => {
    const detail = await escalations.get(idParam(req), currentUser(req), actorOf(req));
    res.json({
      ...escalationJson(detail.escalation),
      concernRecipients: detail.concernRecipients.map(escalationJson),
      mayAcknowledge: detail.mayAcknowledge,
      mayRoute: detail.mayRoute,
    });
  });

  router.post('/escalations/:id/acknowledgement', async (req, res) => {
    res.json(escalationJson(await escalations.acknowledge(idParam(req), currentUser(req), actorOf(req))));
  });

  router.get('/needs-attention', async (req, res) => {
    const list = await escalations.needsAttention(currentUser(req), actorOf(req));
    res.json({ escalations: list.map(escalationJson) });
  });

  router.put('/escalations/:id/recipient', requireAccess('needsAttention'), async (req, res) => {
    const escalation = await escalations.route(
      idParam(req),
      { userId: bodyOf(req).userId },
      currentUser(req),
      actorOf(req),
    );
    res.json(escalationJson(escalation));
  });

  return router;
}
