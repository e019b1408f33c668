import { Router } from 'express';
import type { AuditLog } from '../audit-log/service';
import { requireAccess } from '../http/authorise';
import { queryPage, queryString } from '../http/params';
import type { UsersService } from '../users/service';

const PAGE_SIZE = 50;

export function adminRoutes(users: UsersService, auditLog: AuditLog): Router {
  const router = Router();
  router.use('/admin', requireAccess('admin'));

  router.get('/admin', (_req, res) => {
    res.render('admin/index', { title: 'Administration' });
  });

  router.get('/admin/users', async (_req, res) => {
    res.render('admin/users', { title: 'Users and roles', users: await users.list() });
  });

  router.get('/admin/audit-log', async (req, res) => {
    const action = queryString(req, 'action');
    const page = queryPage(req);
    const offset = (page - 1) * PAGE_SIZE;
    const [{ events, total }, actions] = await Promise.all([
      auditLog.list({ action, limit: PAGE_SIZE, offset }),
      auditLog.actions(),
    ]);
    const href = (p: number) =>
      `/admin/audit-log?${new URLSearchParams({ ...(action ? { action } : {}), page: String(p) }).toString()}`;
    res.render('admin/audit-log', {
      title: 'Audit log',
      events,
      actions,
      total,
      from: offset + 1,
      to: offset + events.length,
      filter: { action },
      previousHref: page > 1 ? href(page - 1) : undefined,
      nextHref: offset + events.length < total ? href(page + 1) : undefined,
    });
  });
  return router;
}
