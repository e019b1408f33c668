import type { Executor } from '../db/transaction';
import { organisationRepository } from './repository';

/**
 * What other features may read of the organisation, in the caller's transaction: teams, service areas,
 * codes and staff records by email. Only the organisation feature changes them.
 */
export const organisationReadModel = {
  allTeams: (ex: Executor) => organisationRepository.listTeams(ex, { kind: 'all' }),
  listServiceAreas: (ex: Executor) => organisationRepository.listServiceAreas(ex),
  idsByCode: (ex: Executor, table: 'team' | 'service_area', codes: readonly string[]) =>
    organisationRepository.idsByCode(ex, table, codes),
  findPersonIdByEmail: (ex: Executor, email: string) => organisationRepository.findPersonIdByEmail(ex, email),
  /** Every staff record, with its team: who may own an action. */
  staff: (ex: Executor) => organisationRepository.listStaff(ex),
  findStaffMember: (ex: Executor, id: number) => organisationRepository.findStaffMember(ex, id),
};
