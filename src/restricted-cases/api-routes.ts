import { Router } from 'express';
import { actorOf } from '../http/actor';
import { requireAccess } from '../http/authorise';
import type { RestrictedCasesService } from './service';

/**
 * The API of restricted cases: list them with who may see each, grant one
 * (`POST /api/restricted-cases/CH-1/grants` with `{ "userId": 12, "reason": "Adoption team manager" }`) and
 * take access away (`DELETE /api/restricted-cases/CH-1/grants/12`). Admins only; every change is logged.
 */
export function restrictedCaseApiRoutes(restrictedCases: RestrictedCasesService): Router {
  const router = Router();
  router.use('/restricted-cases', requireAccess('admin'));

  router.get('/restricted-cases', async (req, res) => {
    const cases = await restrictedCases.list();
    if (cases.length > 0) await restrictedCases.recordListView(actorOf(req));
    res.json({ restrictedCases: cases });
  });
  router.get('/restricted-cases/:caseRef', async (req, res) => {
    res.json(await restrictedCases.view(String(req.params.caseRef), actorOf(req)));
  });
  router.post('/restricted-cases/:caseRef/grants', async (req, res) => {
    res.status(201).json(await restrictedCases.grant(String(req.params.caseRef), req.body, actorOf(req)));
  });
  router.delete('/restricted-cases/:caseRef/grants/:userId', async (req, res) => {
    await restrictedCases.revoke(String(req.params.caseRef), String(req.params.userId), actorOf(req));
    res.status(204).end();
  });
  return router;
}
