import { effectiveStrata, type Stratify } from '../sampling/sample';
import type { SizeRule } from '../sampling/size';
import { LEFT_OUT_REASONS, LEFT_OUT_WORDS, type PopulationCount } from './population';
import type { TeamCoverage } from './repository';

/** A team the plan reaches that would get no audit, and why. */
export interface TeamWithoutAudit {
  teamId: number;
  name: string;
  reason: string;
}

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** Why a team with cases that pass the filters is left with none eligible: "all 3 cases are left out: 2 closed, 1 …". */
function allLeftOut(count: PopulationCount): string {
  const parts = LEFT_OUT_REASONS.filter((r) => count.leftOut[r] > 0).map(
    (r) => `${count.leftOut[r].toLocaleString('en-GB')} ${LEFT_OUT_WORDS[r]}`,
  );
  const all =
    count.population === 1
      ? 'its one case is left out'
      : `all ${plural(count.population, 'case', 'cases')} are left out`;
  return `${all} (${parts.join(', ')})`;
}

/**
 * Every team the plan reaches (its team and locality filters) that gets no audit, with the first reason
 * that explains it: no cases in the list, none of the chosen types, none matching the themes, all left out,
 * or none drawn. Nothing is dropped silently.
 */
export function teamsWithoutAudits(
  coverage: readonly TeamCoverage[],
  population: ReadonlyMap<number, PopulationCount>,
  sampledByTeam: ReadonlyMap<number, number>,
  plan: { size: SizeRule; stratifyBy: Stratify },
): TeamWithoutAudit[] {
  const byTeam = effectiveStrata(plan.size, plan.stratifyBy) === 'team';
  const teams: TeamWithoutAudit[] = [];
  for (const team of coverage) {
    if ((sampledByTeam.get(team.teamId) ?? 0) > 0) continue;
    const count = population.get(team.teamId);
    const reason = !team.hasCases
      ? 'no cases in this case list'
      : !team.hasChosenTypes
        ? 'no cases of the chosen types'
        : !count || count.population === 0
          ? 'no cases of the chosen types match the chosen themes'
          : count.eligible === 0
            ? allLeftOut(count)
            : byTeam
              ? 'its share of the sample rounds down to none'
              : 'none of its cases was drawn: the sample is not shared out by team';
    teams.push({ teamId: team.teamId, name: team.name, reason });
  }
  return teams;
}
