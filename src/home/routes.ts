import { Router } from 'express';
import { ROLES, type Role } from '../auth/roles';
import { actorOf } from '../http/actor';
import { currentUser } from '../http/authorise';
import { homeFigures, type HomeServices } from './figures';

/** One home page, with a section for each role the user holds. */
export function homeRoutes(services: HomeServices): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const user = currentUser(req);
    const is = Object.fromEntries(ROLES.map((role) => [role, user.roles.includes(role)])) as Record<
      Role,
      boolean
    >;
    const figures = await homeFigures(services, user, actorOf(req));
    const serviceAreas = is.head_of_service
      ? (await services.organisation.listServiceAreas()).filter((area) =>
          user.serviceAreaIds.includes(area.id),
        )
      : [];
    res.render('home', {
      title: 'Home',
      is,
      ...figures,
      managedTeams: figures.teams?.filter((team) => user.managedTeamIds.includes(team.id)) ?? [],
      serviceAreas,
    });
  });
  return router;
}
