import { Router } from 'express';
import { actorOf } from '../http/actor';
import { requireAccess } from '../http/authorise';
import { countsView, sendSubjectAccessZip, zipPath } from './routes';
import type { SubjectAccessService } from './service';

/**
 * The subject access API (admins only): `GET /api/subject-access/:caseRef` says how many records of each
 * kind are held about the child, `GET /api/subject-access/:caseRef.zip` downloads them all.
 */
export function subjectAccessApiRoutes(service: SubjectAccessService): Router {
  const router = Router();

  // Before the summary's route, which would otherwise take "X.zip" for a reference.
  router.get('/subject-access/:caseRef.zip', requireAccess('admin'), async (req, res) => {
    await sendSubjectAccessZip(req, res, service);
  });

  router.get('/subject-access/:caseRef', requireAccess('admin'), async (req, res) => {
    const { caseRef, counts } = await service.summary(req.params.caseRef, actorOf(req));
    res.set('Cache-Control', 'no-store').json({
      caseReference: caseRef,
      counts,
      files: countsView(counts),
      download: zipPath('/api/subject-access', caseRef),
    });
  });

  return router;
}
