import { Router } from 'express';
import { ROLES, type Role } from '../auth/roles';
import { currentUser } from '../http/authorise';
import type { FrameworksService } from '../frameworks/service';
import type { OrganisationService } from '../organisation/service';
import type { CasesService } from '../cases/service';
import type { RoundsService } from '../rounds/service';

/** One home page, with a section for each role the user holds. */
export function homeRoutes(services: {
  organisation: OrganisationService;
  frameworks: FrameworksService;
  cases: CasesService;
  rounds: RoundsService;
}): Router {
  const { organisation, frameworks, cases, rounds } = services;
  const router = Router();
  router.get('/', async (req, res) => {
    const user = currentUser(req);
    const is = Object.fromEntries(ROLES.map((role) => [role, user.roles.includes(role)])) as Record<
      Role,
      boolean
    >;
    const teams = is.team_manager || is.head_of_service ? await organisation.listTeams(user) : [];
    const serviceAreas = is.head_of_service
      ? (await organisation.listServiceAreas()).filter((area) => user.serviceAreaIds.includes(area.id))
      : [];
    res.render('home', {
      title: 'Home',
      is,
      managedTeams: teams.filter((team) => user.managedTeamIds.includes(team.id)),
      serviceAreas,
      serviceTeamCount: user.serviceAreaTeamIds.length,
      counts: is.admin ? await organisation.counts() : undefined,
      frameworkCount: is.admin ? (await frameworks.list()).length : undefined,
      frameworkProblems: is.admin ? frameworks.startupProblems().length : 0,
      latestImport: is.admin ? (await cases.listImports()).find((i) => i.status === 'imported') : undefined,
      openRounds: is.admin ? await rounds.openCounts() : undefined,
      workload: is.auditor ? await rounds.workload(user.id) : undefined,
    });
  });
  return router;
}
