import { dateFrom, many, one, wholeNumber } from '../../http/form-values';
import type { SizeRule } from '../../sampling/size';
import { DEFAULT_EXCLUSIONS } from '../types';
import { checked, invalid, listInWords, type Step } from './step';
import { londonDate, longDate } from '../../dates';

export const exclusionsStep: Step = {
  slug: 'exclusions',
  label: 'Left out',
  title: 'Which cases should be left out?',
  previewed: true,
  answered: (d) => d.exclusions !== undefined,
  values: (d) => {
    const e = d.exclusions ?? DEFAULT_EXCLUSIONS;
    return {
      exclude: [
        ...(e.auditedWithinMonths !== null ? ['recentlyAudited'] : []),
        ...(e.inOtherOpenRound ? ['inOtherOpenRound'] : []),
        ...(e.closed ? ['closed'] : []),
        ...(e.restricted ? ['restricted'] : []),
      ],
      months: String(e.auditedWithinMonths ?? DEFAULT_EXCLUSIONS.auditedWithinMonths),
    };
  },
  fields: (v) => [
    {
      kind: 'checkboxes',
      name: 'exclude',
      legend: 'Which cases should be left out?',
      isPageHeading: true,
      hint: 'All four are usual for a monthly audit. Select all that apply.',
      items: [
        {
          value: 'recentlyAudited',
          text: 'Children whose case was audited recently',
          checked: checked(v, 'exclude', 'recentlyAudited'),
          conditional: [
            {
              kind: 'input',
              name: 'months',
              label: 'Audited within the last',
              suffix: 'months',
              width: 3,
              inputmode: 'numeric',
              value: one(v, 'months'),
            },
          ],
        },
        {
          value: 'inOtherOpenRound',
          text: 'Children already in another open audit round',
          checked: checked(v, 'exclude', 'inOtherOpenRound'),
        },
        { value: 'closed', text: 'Closed cases', checked: checked(v, 'exclude', 'closed') },
        {
          value: 'restricted',
          text: 'Restricted records',
          hint: 'For example, a child of a member of staff, or a case under a court restriction.',
          checked: checked(v, 'exclude', 'restricted'),
        },
      ],
    },
  ],
  parse: (v) => {
    const exclude = many(v, 'exclude');
    let months: number | null = null;
    if (exclude.includes('recentlyAudited')) {
      const m = wholeNumber(one(v, 'months'), 1, 120);
      if (m === undefined) return invalid('months', 'Enter the number of months, from 1 to 120');
      months = m;
    }
    return {
      change: {
        exclusions: {
          auditedWithinMonths: months,
          inOtherOpenRound: exclude.includes('inOtherOpenRound'),
          closed: exclude.includes('closed'),
          restricted: exclude.includes('restricted'),
        },
      },
    };
  },
  summary: (d) => {
    const e = d.exclusions ?? DEFAULT_EXCLUSIONS;
    const parts = [
      ...(e.auditedWithinMonths !== null ? [`audited in the last ${e.auditedWithinMonths} months`] : []),
      ...(e.inOtherOpenRound ? ['in another open round'] : []),
      ...(e.closed ? ['closed'] : []),
      ...(e.restricted ? ['restricted'] : []),
    ];
    return parts.length === 0 ? 'Nothing left out' : `Cases ${listInWords(parts)}`;
  },
};

function sizeInWords(size: SizeRule): string {
  if (size.kind === 'per-team') return `${size.perTeam} per team`;
  if (size.kind === 'fixed') return `${size.total} cases in all`;
  return `Enough for ±${Math.round(size.margin * 1000) / 10}% at ${Math.round((size.confidence ?? 0.95) * 100)}% confidence`;
}

export const sizeStep: Step = {
  slug: 'size',
  label: 'Sample size',
  title: 'How many cases should be sampled?',
  previewed: true,
  answered: (d) => d.size !== undefined,
  values: (d) => {
    const s = d.size ?? { kind: 'per-team', perTeam: 2 };
    return {
      sizeKind: s.kind,
      perTeam: s.kind === 'per-team' ? String(s.perTeam) : '2',
      total: s.kind === 'fixed' ? String(s.total) : '',
      margin: s.kind === 'margin-of-error' ? String(Math.round(s.margin * 1000) / 10) : '10',
      confidence: s.kind === 'margin-of-error' ? String((s.confidence ?? 0.95) * 100) : '95',
    };
  },
  fields: (v) => [
    {
      kind: 'radios',
      name: 'sizeKind',
      legend: 'How many cases should be sampled?',
      isPageHeading: true,
      items: [
        {
          value: 'per-team',
          text: 'A number from each team',
          hint: 'The usual monthly audit: every team is seen.',
          checked: checked(v, 'sizeKind', 'per-team'),
          conditional: [
            {
              kind: 'input',
              name: 'perTeam',
              label: 'Cases from each team',
              width: 3,
              inputmode: 'numeric',
              value: one(v, 'perTeam'),
            },
          ],
        },
        {
          value: 'fixed',
          text: 'A fixed number in all',
          hint: 'Shared across teams or case types in proportion to their size.',
          checked: checked(v, 'sizeKind', 'fixed'),
          conditional: [
            {
              kind: 'input',
              name: 'total',
              label: 'Number of cases',
              width: 4,
              inputmode: 'numeric',
              value: one(v, 'total'),
            },
          ],
        },
        {
          value: 'margin-of-error',
          text: 'Enough to estimate a proportion to a margin of error',
          hint: 'For example, the share of cases graded good or better, within ±10 percentage points.',
          checked: checked(v, 'sizeKind', 'margin-of-error'),
          conditional: [
            {
              kind: 'input',
              name: 'margin',
              label: 'Margin of error',
              suffix: '%',
              width: 3,
              inputmode: 'decimal',
              value: one(v, 'margin'),
            },
            {
              kind: 'radios',
              name: 'confidence',
              legend: 'Confidence level',
              legendSize: 's',
              small: true,
              items: ['90', '95', '99'].map((c) => ({
                value: c,
                text: `${c}%`,
                checked: checked(v, 'confidence', c),
              })),
            },
          ],
        },
      ],
    },
  ],
  parse: (v) => {
    const kind = one(v, 'sizeKind');
    if (kind === 'per-team') {
      const perTeam = wholeNumber(one(v, 'perTeam'), 1, 1000);
      if (perTeam === undefined)
        return invalid('perTeam', 'Enter the cases from each team, a whole number from 1 to 1,000');
      return { change: { size: { kind, perTeam } } };
    }
    if (kind === 'fixed') {
      const total = wholeNumber(one(v, 'total'), 1, 100000);
      if (total === undefined)
        return invalid('total', 'Enter the number of cases, a whole number from 1 to 100,000');
      return { change: { size: { kind, total } } };
    }
    if (kind === 'margin-of-error') {
      const text = one(v, 'margin');
      const margin = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
      if (!(margin > 0 && margin <= 50))
        return invalid('margin', 'Enter the margin of error as a percentage, more than 0 and up to 50');
      const confidence = { '90': 0.9, '95': 0.95, '99': 0.99 }[one(v, 'confidence')] as
        0.9 | 0.95 | 0.99 | undefined;
      if (!confidence) return invalid('confidence', 'Select the confidence level');
      return { change: { size: { kind, margin: margin / 100, confidence } } };
    }
    return invalid('sizeKind', 'Select how many cases should be sampled');
  },
  summary: (d) => (d.size ? sizeInWords(d.size) : ''),
};

const SPREADS = [
  { value: 'team', text: 'In proportion to each team’s cases' },
  { value: 'case-type', text: 'In proportion to each case type' },
  {
    value: 'none',
    text: 'As one simple random sample',
    hint: 'Small teams or case types may not be sampled at all.',
  },
] as const;

export const spreadStep: Step = {
  slug: 'spread',
  label: 'Spread of the sample',
  title: 'How should the sample be spread?',
  previewed: true,
  skip: (d) => d.size?.kind === 'per-team',
  answered: (d) => d.stratifyBy !== undefined,
  values: (d) => ({ stratifyBy: d.stratifyBy ?? 'team' }),
  fields: (v) => [
    {
      kind: 'radios',
      name: 'stratifyBy',
      legend: 'How should the sample be spread?',
      isPageHeading: true,
      hint: 'Cases are chosen at random within each group; each group’s share follows its size.',
      items: SPREADS.map((s) => ({ ...s, checked: checked(v, 'stratifyBy', s.value) })),
    },
  ],
  parse: (v) => {
    const chosen = SPREADS.find((s) => s.value === one(v, 'stratifyBy'));
    if (!chosen) return invalid('stratifyBy', 'Select how the sample should be spread');
    return { change: { stratifyBy: chosen.value } };
  },
  summary: (d) =>
    d.size?.kind === 'per-team' ? 'By team' : (SPREADS.find((s) => s.value === d.stratifyBy)?.text ?? ''),
};

export const auditorsStep: Step = {
  slug: 'auditors',
  label: 'Auditors',
  title: 'How many audits can each auditor take?',
  previewed: true,
  answered: (d) => d.auditors !== undefined,
  blocked: async (look) =>
    (await look.auditors()).length === 0
      ? {
          text: 'No one has the auditor role yet.',
          href: '/admin/users',
          linkText: 'Give someone the auditor role',
        }
      : undefined,
  values: (d) =>
    Object.fromEntries(
      (d.auditors ?? []).map((a) => [
        `capacity-${a.userId}`,
        a.capacity === undefined ? '' : String(a.capacity),
      ]),
    ),
  fields: async (v, look) => [
    {
      kind: 'fieldset',
      name: 'capacity',
      legend: 'How many audits can each auditor take?',
      isPageHeading: true,
      hint: 'Leave blank to share the sample evenly. Enter 0 for anyone not auditing in this round. No one is given a case from their own team, their own caseload or a team they manage.',
      fields: (await look.auditors()).map((u) => ({
        kind: 'input' as const,
        name: `capacity-${u.id}`,
        label: u.displayName,
        width: 3 as const,
        inputmode: 'numeric' as const,
        suffix: 'audits',
        value: one(v, `capacity-${u.id}`),
      })),
    },
  ],
  parse: async (v, look) => {
    const auditors = await look.auditors();
    const errors: Record<string, string> = {};
    const capacities = auditors.map((u) => {
      const text = one(v, `capacity-${u.id}`);
      if (!text) return { userId: u.id };
      const capacity = wholeNumber(text, 0, 1000);
      if (capacity === undefined)
        errors[`capacity-${u.id}`] =
          `Enter ${u.displayName}’s audits as a whole number from 0 to 1,000, or leave it blank`;
      return { userId: u.id, capacity };
    });
    if (Object.keys(errors).length > 0) return { errors };
    if (capacities.every((c) => c.capacity === 0))
      return invalid('capacity', 'At least one auditor must be able to take audits');
    return { change: { auditors: capacities } };
  },
  summary: async (d, look) => {
    const names = new Map((await look.auditors()).map((u) => [u.id, u.displayName]));
    const stated = (d.auditors ?? []).filter((a) => a.capacity !== undefined);
    if (stated.length === 0) return 'Every auditor, an even share each';
    return (
      stated
        .map(
          (a) => `${names.get(a.userId) ?? a.userId}: ${a.capacity === 0 ? 'none' : `up to ${a.capacity}`}`,
        )
        .join('; ') + '; the others share the rest evenly'
    );
  },
};

export const dueDateStep: Step = {
  slug: 'due-date',
  label: 'Due date',
  title: 'When are the audits due?',
  answered: (d) => d.dueDate !== undefined,
  values: (d) => {
    const [year, month, day] = (d.dueDate ?? '').split('-');
    return { 'dueDate-day': day ?? '', 'dueDate-month': month ?? '', 'dueDate-year': year ?? '' };
  },
  fields: (v) => {
    const example = new Date(Date.parse(londonDate()) + 28 * 86_400_000);
    return [
      {
        kind: 'date',
        name: 'dueDate',
        legend: 'When are the audits due?',
        isPageHeading: true,
        hint: `For example, ${example.getUTCDate()} ${example.getUTCMonth() + 1} ${example.getUTCFullYear()}`,
        value: { day: one(v, 'dueDate-day'), month: one(v, 'dueDate-month'), year: one(v, 'dueDate-year') },
      },
    ];
  },
  parse: (v) => {
    const result = dateFrom(v, 'dueDate', 'the date the audits are due');
    if ('error' in result) return invalid('dueDate', result.error);
    if (result.date < londonDate())
      return invalid('dueDate', 'The date the audits are due must be today or in the future');
    return { change: { dueDate: result.date } };
  },
  summary: (d) => longDate(d.dueDate),
};

export const seedStep: Step = {
  slug: 'seed',
  label: 'Random seed',
  title: 'Which random seed should the sample use?',
  answered: () => true,
  values: (d) => ({ seed: String(d.seed) }),
  fields: (v) => [
    {
      kind: 'input',
      name: 'seed',
      label: 'Which random seed should the sample use?',
      isPageHeading: true,
      hint: 'The same plan, case list and seed always draw the same sample. Keep the seed given unless you are repeating an earlier draw.',
      width: 10,
      inputmode: 'numeric',
      value: one(v, 'seed'),
    },
  ],
  parse: (v) => {
    const seed = wholeNumber(one(v, 'seed'), -2147483648, 2147483647);
    if (seed === undefined)
      return invalid('seed', 'Enter the seed as a whole number from −2,147,483,648 to 2,147,483,647');
    return { change: { seed } };
  },
  summary: (d) => String(d.seed),
};
