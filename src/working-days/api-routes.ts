import { Router } from 'express';
import { actorOf } from '../http/actor';
import { requireAccess } from '../http/authorise';
import type { WorkingDaysService } from './service';

/**
 * The API of council closure days: list, add (`{ "day": "2026-12-24", "reason": "Christmas shutdown" }`)
 * and remove (`DELETE /api/closure-days/2026-12-24`). Admins only; every change is in the audit log.
 */
export function closureDayApiRoutes(workingDays: WorkingDaysService): Router {
  const router = Router();
  router.use('/closure-days', requireAccess('admin'));

  router.get('/closure-days', async (_req, res) => {
    res.json({ closureDays: await workingDays.list() });
  });
  router.post('/closure-days', async (req, res) => {
    res.status(201).json(await workingDays.add(req.body, actorOf(req)));
  });
  router.delete('/closure-days/:day', async (req, res) => {
    await workingDays.remove(String(req.params.day), actorOf(req));
    res.status(204).end();
  });
  return router;
}
