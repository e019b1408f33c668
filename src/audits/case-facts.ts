import type { CaseFacts } from '../frameworks/conditions';
import type { CaseProfile } from './repository';

const flag = (value: boolean | string | null): string | undefined =>
  value === null ? undefined : value === true ? 'yes' : value === false ? 'no' : value;

/**
 * The facts of the audited case that a framework's case conditions test, as the case list holds them:
 * flags as "yes" / "no", a fact the list does not hold left out (it never matches).
 */
export function caseFacts(profile: CaseProfile): CaseFacts {
  const facts: CaseFacts = {
    caseType: profile.caseType,
    ageYears: profile.ageYears ?? undefined,
    disability: flag(profile.disability),
    legalStatus: profile.legalStatus ?? undefined,
    categoryOfAbuse: profile.categoryOfAbuse ?? undefined,
    placementType: profile.placementType ?? undefined,
    uasc: flag(profile.uasc),
    missingEpisodes: profile.missingEpisodes ?? undefined,
  };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined && v !== ''));
}
