import { Router } from 'express';
import type { Area } from '../auth/access';
import { requireAccess } from '../http/authorise';

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

const COMING: {
  path: string;
  area: Area;
  title: string;
  emptyText: string;
  links?: { href: string; text: string }[];
}[] = [
  {
    path: '/reports',
    area: 'reports',
    title: 'Reports',
    emptyText:
      'No reports yet. Dashboards and the monthly board pack appear here once the first audit round is complete.',
    links: [{ href: '/agreement', text: 'Agreement between auditors and moderators' }],
  },
];

/** Areas whose features are still to come: each guarded like the real thing, with a clear empty state. */
export function emptyAreaRoutes(): Router {
  const router = Router();
  for (const area of COMING) {
    router.get(area.path, requireAccess(area.area), (_req, res) => {
      res.render('placeholder', { title: area.title, emptyText: area.emptyText, links: area.links });
    });
  }
  return router;
}
