import { Router } from 'express';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { idParam } from '../http/params';
import type { CalibrationService } from './service';

/** Calibration exercises for API clients: setting one up, the list, and an exercise's comparison. */
export function calibrationApiRoutes(calibration: CalibrationService): Router {
  const router = Router();
  router.post('/calibrations', requireAccess('rounds'), async (req, res) => {
    const id = await calibration.create(req.body, actorOf(req));
    res.status(201).location(`/api/calibrations/${id}`).json({ id });
  });
  router.get('/calibrations', requireAccess('calibration'), async (req, res) => {
    res.json({ calibrations: await calibration.list(currentUser(req)) });
  });
  router.get('/calibrations/:id', requireAccess('calibration'), async (req, res) => {
    res.json(await calibration.comparison(idParam(req), currentUser(req), actorOf(req)));
  });
  return router;
}
