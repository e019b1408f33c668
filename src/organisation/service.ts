import { caseScopeFor, type ScopedUser } from '../auth/scope';
import type { Database } from '../db/transaction';
import { NotFoundError } from '../errors';
import { organisationRepository } from './repository';

export type OrganisationService = ReturnType<typeof createOrganisationService>;

export function createOrganisationService(db: Database) {
  const ex = db.executor;
  return {
    /**
     * The teams in the user's scope that are open: what to offer for new work (sampling filters, home
     * pages). A closed team keeps its history; `includeClosed` lists it too, marked by `active`.
     */
    listTeams: async (user: ScopedUser, options: { includeClosed?: boolean } = {}) =>
      (await organisationRepository.listTeams(ex, caseScopeFor(user))).filter(
        (team) => team.active || options.includeClosed,
      ),

    /** A team and its staff, if the user's scope includes it; otherwise not found (no hint that it exists). */
    async getTeam(user: ScopedUser, id: number) {
      const team = await organisationRepository.findTeam(ex, caseScopeFor(user), id);
      if (!team) throw new NotFoundError('There is no team at this address, or it is not one of yours.');
      return { team, people: await organisationRepository.listPeople(ex, id) };
    },

    counts: () => organisationRepository.counts(ex),
    listServiceAreas: () => organisationRepository.listServiceAreas(ex),
  };
}
