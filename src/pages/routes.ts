import { Router } from 'express';

/** Static pages anyone may read, signed in or not. */
export function publicPageRoutes(): Router {
  const router = Router();
  router.get('/accessibility', (_req, res) => {
    res.render('accessibility', { title: 'Accessibility statement' });
  });
  router.get('/privacy', (_req, res) => {
    res.render('privacy', { title: 'Privacy' });
  });
  return router;
}
