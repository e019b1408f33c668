import { Router } from 'express';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import type { RoundsService } from '../rounds/service';
import { myAudits } from './sections';

/** My audits for API clients: the same sections as the page. */
export function myAuditsApiRoutes(rounds: RoundsService): Router {
  const router = Router();
  router.get('/my-audits', requireAccess('myAudits'), async (req, res) => {
    const { toDo, submitted, cancelled } = await myAudits(rounds, currentUser(req).id, actorOf(req));
    // `audits`: those to do and submitted together, as before the list was split.
    res.json({ audits: [...toDo, ...submitted], toDo, submitted, cancelled });
  });
  return router;
}
