import { CASE_TYPES } from '../frameworks/types';
import type { User } from '../users/user';
import type { RoundDraft } from './journey/draft';
import { createLookups, type LookupServices } from './journey/lookups';
import { asked, findStep } from './journey/steps';
import type { RoundSummary } from './repository';
import type { RoundInput } from './types';

/** A saved plan in the journey's terms, so the round page describes it in the same words. */
function draftOf(plan: RoundInput & { seed: number }): RoundDraft {
  const { caseTypes, teamIds, localityIds: _localities, ...themes } = plan.filters;
  return {
    seed: plan.seed,
    name: plan.name,
    framework: { id: plan.frameworkId, version: plan.frameworkVersion },
    importId: plan.importId,
    caseTypes: caseTypes ?? [...CASE_TYPES],
    teamIds: teamIds ?? null,
    themes: Object.keys(themes).length > 0 ? themes : null,
    exclusions: plan.exclusions,
    size: plan.size,
    stratifyBy: plan.stratifyBy,
    auditors: plan.auditors ?? undefined,
    dueDate: plan.dueDate,
  };
}

/** The round's plan as label and value rows, seed last. */
export async function planFacts(
  services: LookupServices,
  user: User,
  round: RoundSummary & { plan: unknown },
): Promise<{ label: string; value: string }[]> {
  const draft = draftOf(round.plan as RoundInput & { seed: number });
  const look = createLookups(services, user);
  const steps = [...asked(draft).filter((s) => s.slug !== 'name' && s.slug !== 'auditors'), findStep('seed')];
  const rows = [];
  for (const step of steps) {
    if (step) rows.push({ label: step.label, value: await step.summary(draft, look) });
  }
  return rows;
}
