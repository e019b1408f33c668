import { Router } from 'express';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { idParam, queryId } from '../http/params';
import type { ModerationService } from './service';

export function moderationApiRoutes(moderation: ModerationService): Router {
  const router = Router();

  router.get('/moderation/queue', requireAccess('moderation'), async (req, res) => {
    res.json({ queue: await moderation.queue(currentUser(req)) });
  });

  router.get('/audits/:id/moderation', requireAccess('moderation'), async (req, res) => {
    const { framework, ...detail } = await moderation.get(idParam(req), currentUser(req), actorOf(req));
    res.json({
      ...detail,
      framework: { id: framework.frameworkId, version: framework.version, title: framework.title },
    });
  });

  router.post('/audits/:id/moderation', requireAccess('moderation'), async (req, res) => {
    res.json(await moderation.record(idParam(req), req.body, currentUser(req), actorOf(req)));
  });

  router.get('/moderation/statistics', requireAccess('agreement'), async (req, res) => {
    res.json(await moderation.statistics({ roundId: queryId(req, 'round') }));
  });

  return router;
}
