import { Router } from 'express';
import { RETRY_AFTER_SECONDS } from '../http/error-handler';
import type { AppInfo } from './info';
import type { HealthService } from './service';

/** Mounted before sessions and sign-in: load balancers and monitors call these without credentials. */
export function healthRoutes(health: HealthService, info: AppInfo): Router {
  const router = Router();
  router.use(['/ping', '/health', '/info'], (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/ping', (_req, res) => {
    res.json({ status: 'UP' });
  });
  router.get('/health', async (_req, res) => {
    const report = await health.check();
    if (report.status === 'DOWN') res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS));
    res.json(report);
  });
  router.get('/info', (_req, res) => {
    res.json(info);
  });
  return router;
}
