import { Router } from 'express';
import { caseScopeFor } from '../auth/scope';
import { currentUser, requireAccess } from '../http/authorise';
import { idParam } from '../http/params';
import type { OrganisationService } from './service';

export function teamRoutes(organisation: OrganisationService): Router {
  const router = Router();
  router.use('/teams', requireAccess('teams'));

  router.get('/teams', async (req, res) => {
    const user = currentUser(req);
    res.render('teams/index', {
      title: 'Teams',
      teams: await organisation.listTeams(user),
      scopedToOwn: caseScopeFor(user).kind === 'teams',
    });
  });

  router.get('/teams/:id', async (req, res) => {
    const { team, people } = await organisation.getTeam(currentUser(req), idParam(req));
    res.render('teams/show', {
      title: team.name,
      team,
      people,
      backLink: { href: '/teams', text: 'All teams' },
    });
  });
  return router;
}
