import type { Scale } from './types';

/** Scales every framework may use without defining them. */
export const BUILT_IN_SCALES: readonly Scale[] = [
  {
    id: 'ofsted',
    label: 'Ofsted four-point scale',
    description: 'The grades Ofsted uses to judge children’s services in England.',
    levels: [
      {
        code: 'outstanding',
        label: 'Outstanding',
        descriptor:
          'Everything that good looks like, and practice that makes an exceptional and sustained difference to the child.',
      },
      {
        code: 'good',
        label: 'Good',
        descriptor:
          'Decisions rest on a high-quality assessment of risk and of capacity to change; thresholds are applied correctly; the child is listened to by workers who know them; plans are reviewed and permanence is achieved without delay.',
      },
      {
        code: 'requires-improvement',
        label: 'Requires improvement to be good',
        descriptor:
          'Not yet good, but there are no widespread or serious failures that leave the child harmed or at risk of harm.',
      },
      {
        code: 'inadequate',
        label: 'Inadequate',
        descriptor: 'Widespread or serious failures leave the child harmed or at risk of harm.',
      },
    ],
  },
  {
    id: 'scaling-0-10',
    label: 'Scaling, 0 to 10',
    description:
      'A scaling question as used in strengths-based practice: 10 means everyone agrees the child is safe and well enough for the work to end; 0 means harm is certain.',
    levels: Array.from({ length: 11 }, (_, i) => {
      const value = 10 - i;
      return {
        code: String(value),
        label: String(value),
        score: value,
        ...(value === 10
          ? { descriptor: 'Everyone agrees the child is safe and well enough for the work to end.' }
          : {}),
        ...(value === 0 ? { descriptor: 'Harm to the child is certain; nothing yet keeps them safe.' } : {}),
      };
    }),
  },
  {
    id: 'yes-no-na',
    label: 'Yes, no or not applicable',
    description:
      'For compliance items; the share of yes answers among yes and no answers gives a percentage.',
    levels: [
      { code: 'yes', label: 'Yes', score: 1 },
      { code: 'no', label: 'No', score: 0 },
      { code: 'na', label: 'Not applicable', notApplicable: true },
    ],
  },
];

export const DEFAULT_SCALE = 'ofsted';

/** The answers of a yes-no-na question (a question type, as well as a scale). */
export const YES_NO_NA = ['yes', 'no', 'na'] as const;
export const YES_NO_NA_LABELS: Record<string, string> = { yes: 'Yes', no: 'No', na: 'Not applicable' };

/** Levels that are ranked (best first): the not-applicable ones are left out. */
export function rankedLevels(scale: Scale): Scale['levels'] {
  return scale.levels.filter((level) => !level.notApplicable);
}
