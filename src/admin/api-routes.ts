import { Router } from 'express';
import { actorOf } from '../http/actor';
import { requireAccess } from '../http/authorise';
import { idParam, queryId } from '../http/params';
import { activityLogQuery } from './activity-log-page';
import type { AdminServices } from './routes';
import { BadRequestError } from '../errors';
import { closureDayApiRoutes } from '../working-days/api-routes';
import { restrictedCaseApiRoutes } from '../restricted-cases/api-routes';

const PAGE_SIZE = 100;

/**
 * The administration API: users, teams, staff, localities, service areas, council closure days and the
 * audit log. Admins only; every change is in the audit log.
 */
export function adminApiRoutes({
  users,
  organisationAdmin,
  activityLog,
  workingDays,
  restrictedCases,
}: AdminServices): Router {
  const router = Router();
  for (const path of ['/users', '/teams', '/people', '/localities', '/service-areas', '/audit-log'])
    router.use(path, requireAccess('admin'));

  router.get('/users', async (_req, res) => {
    res.json({ users: await users.list() });
  });
  router.post('/users', async (req, res) => {
    const user = await users.add(req.body, actorOf(req));
    res.status(201).location(`/api/users/${user.id}`).json(user);
  });
  router.get('/users/:id', async (req, res) => {
    res.json(await users.get(idParam(req)));
  });
  router.patch('/users/:id', async (req, res) => {
    res.json(await users.update(idParam(req), req.body, actorOf(req)));
  });
  router.post('/users/:id/sign-out', async (req, res) => {
    const { user, sessionsEnded } = await users.signOutEverywhere(idParam(req), actorOf(req));
    res.json({ user, sessionsEnded });
  });

  router.post('/users/:id/deactivate', async (req, res) => {
    res.json(await users.deactivate(idParam(req), actorOf(req)));
  });
  router.post('/users/:id/reactivate', async (req, res) => {
    res.json(await users.reactivate(idParam(req), actorOf(req)));
  });

  router.get('/teams', async (_req, res) => {
    res.json({ teams: await organisationAdmin.listTeams() });
  });
  router.post('/teams', async (req, res) => {
    const team = await organisationAdmin.addTeam(req.body, actorOf(req));
    res.status(201).location(`/api/teams/${team.id}`).json(team);
  });
  router.get('/teams/:id', async (req, res) => {
    const id = idParam(req);
    const team = await organisationAdmin.getTeam(id);
    res.json({ ...team, staff: await organisationAdmin.listStaff(id) });
  });
  router.patch('/teams/:id', async (req, res) => {
    res.json(await organisationAdmin.updateTeam(idParam(req), req.body, actorOf(req)));
  });
  router.post('/teams/:id/close', async (req, res) => {
    res.json(await organisationAdmin.closeTeam(idParam(req), actorOf(req)));
  });
  router.post('/teams/:id/reopen', async (req, res) => {
    res.json(await organisationAdmin.reopenTeam(idParam(req), actorOf(req)));
  });

  router.get('/people', async (req, res) => {
    res.json({ people: await organisationAdmin.listStaff(queryId(req, 'team')) });
  });
  router.post('/people', async (req, res) => {
    const person = await organisationAdmin.addPerson(req.body, actorOf(req));
    res.status(201).location(`/api/people/${person.id}`).json(person);
  });
  router.get('/people/:id', async (req, res) => {
    res.json(await organisationAdmin.getPerson(idParam(req)));
  });
  router.patch('/people/:id', async (req, res) => {
    res.json(await organisationAdmin.updatePerson(idParam(req), req.body, actorOf(req)));
  });

  router.get('/localities', async (_req, res) => {
    res.json({ localities: await organisationAdmin.listLocalities() });
  });
  router.get('/service-areas', async (_req, res) => {
    res.json({ serviceAreas: await organisationAdmin.listServiceAreas() });
  });

  router.get('/audit-log', async (req, res) => {
    const { filter, page, errors } = activityLogQuery(req);
    if (Object.keys(errors).length > 0)
      throw new BadRequestError(
        'The date range is not valid.',
        Object.entries(errors).map(([field, message]) => ({ field, message })),
      );
    const { events, total } = await activityLog.listReadable({
      ...filter,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    res.json({ events, total, page, pageSize: PAGE_SIZE });
  });
  router.use(closureDayApiRoutes(workingDays));
  router.use(restrictedCaseApiRoutes(restrictedCases));
  return router;
}
