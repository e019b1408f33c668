import { Router } from 'express';
import { londonDate } from '../dates';
import { BadRequestError } from '../errors';
import { requireAccess } from '../http/authorise';
import { wholeNumber } from '../http/form-values';
import type { RetentionService } from './service';

/**
 * The retention API: `GET /api/retention/due` reports the classes and the children due today (a dry run:
 * nothing changes), at most `limit` children listed (default 1,000). Admins only.
 */
export function retentionApiRoutes(retention: RetentionService): Router {
  const router = Router();
  router.use('/retention', requireAccess('admin'));

  router.get('/retention/due', async (req, res) => {
    const asked = typeof req.query.limit === 'string' ? req.query.limit : undefined;
    const limit = asked === undefined ? 1000 : wholeNumber(asked, 0, 100000);
    if (limit === undefined) throw new BadRequestError('limit must be a whole number from 0 to 100000.');
    res.json(await retention.report(londonDate(), limit));
  });
  return router;
}
