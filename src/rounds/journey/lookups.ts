import type { CasesService } from '../../cases/service';
import type { FrameworksService } from '../../frameworks/service';
import type { OrganisationService } from '../../organisation/service';
import type { UsersService } from '../../users/service';
import type { User } from '../../users/user';
import type { Lookups } from './step';

export interface LookupServices {
  frameworks: FrameworksService;
  cases: CasesService;
  organisation: OrganisationService;
  users: UsersService;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}

/** The journey's lookups for one request, each loaded at most once. */
export function createLookups(services: LookupServices, user: User): Lookups {
  const attributes = new Map<number, ReturnType<CasesService['attributeValues']>>();
  return {
    frameworks: once(() => services.frameworks.list()),
    frameworkCaseTypes: async (id, version) =>
      (await services.frameworks.get(id, version)).framework.caseTypes,
    imports: once(() => services.cases.listImported()),
    teams: once(() => services.organisation.listTeams(user)),
    attributes: (importId) => {
      const cached = attributes.get(importId) ?? services.cases.attributeValues(importId);
      attributes.set(importId, cached);
      return cached;
    },
    auditors: once(() => services.users.listWithRole('auditor')),
  };
}
