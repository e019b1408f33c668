import { Router } from 'express';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import type { RoundsService } from '../rounds/service';
import { myAudits } from './sections';
import { myAuditsView } from './view';

/** My audits: the audits allocated to the signed-in auditor, to do apart from submitted and cancelled. */
export function myAuditsRoutes(rounds: RoundsService): Router {
  const router = Router();
  router.get('/my-audits', requireAccess('myAudits'), async (req, res) => {
    res.render('my-audits/index', myAuditsView(await myAudits(rounds, currentUser(req).id, actorOf(req))));
  });
  return router;
}
