import type { RoundDraft } from './draft';
import { auditorsStep, dueDateStep, exclusionsStep, seedStep, sizeStep, spreadStep } from './sample-steps';
import { caseTypesStep, frameworkStep, nameStep, populationStep, teamsStep, themesStep } from './scope-steps';
import type { Step } from './step';

/** The questions, in the order they are asked. */
export const STEPS: readonly Step[] = [
  nameStep,
  frameworkStep,
  populationStep,
  caseTypesStep,
  teamsStep,
  themesStep,
  exclusionsStep,
  sizeStep,
  spreadStep,
  auditorsStep,
  dueDateStep,
];

/** Asked only from the check-answers page: the seed is chosen for the user when planning starts. */
const EXTRA_STEPS: readonly Step[] = [seedStep];

export function findStep(slug: string): Step | undefined {
  return [...STEPS, ...EXTRA_STEPS].find((s) => s.slug === slug);
}

export const asked = (draft: RoundDraft): Step[] => STEPS.filter((s) => !s.skip?.(draft));

/** The first question not yet answered, or undefined when the plan is complete. */
export function firstUnanswered(draft: RoundDraft): Step | undefined {
  return asked(draft).find((s) => !s.answered(draft));
}

/** Where to go after answering: the next unanswered question, or the check-answers page. */
export function nextPath(draft: RoundDraft): string {
  const step = firstUnanswered(draft);
  return step ? `/rounds/new/${step.slug}` : '/rounds/new/check';
}

/** A question can be opened once every question before it is answered. */
export function mayOpen(draft: RoundDraft, step: Step): boolean {
  if (EXTRA_STEPS.includes(step)) return true;
  const list = asked(draft);
  const index = list.indexOf(step);
  return index >= 0 && list.slice(0, index).every((s) => s.answered(draft));
}

/** The page before this one, for the back link. */
export function previousPath(draft: RoundDraft, step: Step): string {
  if (EXTRA_STEPS.includes(step)) return '/rounds/new/check';
  const list = asked(draft);
  const before = list[list.indexOf(step) - 1];
  return before ? `/rounds/new/${before.slug}` : '/rounds';
}

const FIELD_STEPS: [prefix: string, slug: string][] = [
  ['name', 'name'],
  ['framework', 'framework'],
  ['importId', 'population'],
  ['filters.caseTypes', 'case-types'],
  ['filters.teamIds', 'teams'],
  ['filters', 'themes'],
  ['exclusions', 'exclusions'],
  ['size', 'size'],
  ['stratifyBy', 'spread'],
  ['auditors', 'auditors'],
  ['dueDate', 'due-date'],
  ['seed', 'seed'],
];

/** Which question a problem the service found belongs to, by the plan field it names. */
export function stepForField(field: string): Step | undefined {
  const slug = FIELD_STEPS.find(([prefix]) => field.startsWith(prefix))?.[1];
  return slug === undefined ? undefined : findStep(slug);
}
