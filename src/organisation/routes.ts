import { Router } from 'express';
import type { AuditOutcomesService } from '../audit-outcomes/service';
import { caseScopeFor } from '../auth/scope';
import { actorOf } from '../http/actor';
import { currentUser, requireAccess } from '../http/authorise';
import { idParam } from '../http/params';
import type { OrganisationService } from './service';

export function teamRoutes({
  organisation,
  auditOutcomes,
}: {
  organisation: OrganisationService;
  auditOutcomes: AuditOutcomesService;
}): Router {
  const router = Router();
  router.use('/teams', requireAccess('teams'));

  router.get('/teams', async (req, res) => {
    const user = currentUser(req);
    res.render('teams/index', {
      title: 'Teams',
      teams: await organisation.listTeams(user, { includeClosed: true }),
      scopedToOwn: caseScopeFor(user).kind === 'teams',
    });
  });

  router.get('/teams/:id', async (req, res) => {
    const user = currentUser(req);
    const { team, people } = await organisation.getTeam(user, idParam(req));
    res.render('teams/show', {
      title: team.name,
      team,
      people,
      audits: await auditOutcomes.forTeam(user, team.id, actorOf(req)),
      backLink: { href: '/teams', text: 'All teams' },
    });
  });
  return router;
}
