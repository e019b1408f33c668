import { longDate } from '../../dates';
import { ABUSE_LABELS, LEGAL_STATUS_LABELS, PLACEMENT_TYPE_LABELS, codeLabel } from '../../cases/labels';
import { CASE_TYPE_LABELS } from '../../cases/labels';
import { CASE_TYPES, type CaseType } from '../../frameworks/types';
import type { Choice, Field, FieldErrors } from '../../http/form-fields';
import { many, one, wholeNumber, type FormValues } from '../../http/form-values';
import type { Themes } from './draft';
import { checked, invalid, listInWords, type Step } from './step';

export const nameStep: Step = {
  slug: 'name',
  label: 'Name',
  title: 'What is the audit round called?',
  answered: (d) => d.name !== undefined,
  values: (d) => ({ name: d.name ?? '' }),
  fields: (v) => [
    {
      kind: 'input',
      name: 'name',
      label: 'What is the audit round called?',
      isPageHeading: true,
      hint: 'For example, “December 2026 monthly audit” or “Neglect themed audit”. Auditors and managers see this name.',
      value: one(v, 'name'),
    },
  ],
  parse: (v) => {
    const name = one(v, 'name');
    if (!name) return invalid('name', 'Enter a name for the audit round');
    if (name.length > 200) return invalid('name', 'Name must be 200 characters or fewer');
    return { change: { name } };
  },
  summary: (d) => d.name ?? '',
};

export const frameworkStep: Step = {
  slug: 'framework',
  label: 'Audit framework',
  title: 'Which audit framework will auditors use?',
  answered: (d) => d.framework !== undefined,
  blocked: async (look) =>
    (await look.frameworks()).length === 0
      ? {
          text: 'No audit framework is loaded yet.',
          href: '/frameworks/upload',
          linkText: 'Upload a framework',
        }
      : undefined,
  values: (d) => ({ framework: d.framework ? `${d.framework.id}@${d.framework.version}` : '' }),
  fields: async (v, look) => [
    {
      kind: 'radios',
      name: 'framework',
      legend: 'Which audit framework will auditors use?',
      isPageHeading: true,
      hint: 'Each audit keeps the exact version it was made with.',
      items: (await look.frameworks()).map((f) => {
        const value = `${f.id}@${f.latest.version}`;
        return {
          value,
          text: f.latest.title,
          hint: `Version ${f.latest.version}`,
          checked: checked(v, 'framework', value),
        };
      }),
    },
  ],
  parse: async (v, look) => {
    const chosen = (await look.frameworks()).find(
      (f) => `${f.id}@${f.latest.version}` === one(v, 'framework'),
    );
    if (!chosen) return invalid('framework', 'Select the audit framework');
    return { change: { framework: { id: chosen.id, version: chosen.latest.version } } };
  },
  summary: async (d, look) => {
    const f = (await look.frameworks()).find((x) => x.id === d.framework?.id);
    return `${f?.latest.title ?? d.framework?.id}, version ${d.framework?.version}`;
  },
};

export const populationStep: Step = {
  slug: 'population',
  label: 'Case list',
  title: 'Which case list will the sample come from?',
  answered: (d) => d.importId !== undefined,
  blocked: async (look) =>
    (await look.imports()).length === 0
      ? {
          text: 'No case list has been imported yet.',
          href: '/cases/imports/new',
          linkText: 'Import a case list',
        }
      : undefined,
  values: (d) => ({ importId: d.importId ? String(d.importId) : '' }),
  fields: async (v, look) => [
    {
      kind: 'radios',
      name: 'importId',
      legend: 'Which case list will the sample come from?',
      isPageHeading: true,
      hint: 'The newest is usually right: the open cases as they were when it was imported.',
      items: (await look.imports()).map((i) => ({
        value: String(i.id),
        text: `${i.sourceName ?? `Case import ${i.id}`} (import ${i.id})`,
        hint: `${i.casesImported.toLocaleString('en-GB')} cases, imported ${longDate(i.startedAt)}${i.importedByName ? ` by ${i.importedByName}` : ''}`,
        checked: checked(v, 'importId', String(i.id)),
      })),
    },
  ],
  parse: async (v, look) => {
    const chosen = (await look.imports()).find((i) => String(i.id) === one(v, 'importId'));
    if (!chosen) return invalid('importId', 'Select the case list');
    return { change: { importId: chosen.id } };
  },
  summary: async (d, look) => {
    const i = (await look.imports()).find((x) => x.id === d.importId);
    return i
      ? `${i.sourceName ?? `Case import ${i.id}`} (import ${i.id}, ${i.casesImported.toLocaleString('en-GB')} cases)`
      : '';
  },
};

export const caseTypesStep: Step = {
  slug: 'case-types',
  label: 'Case types',
  title: 'Which case types are in scope?',
  answered: (d) => d.caseTypes !== undefined,
  values: async (d, look) => ({
    caseTypes:
      d.caseTypes ?? (d.framework ? await look.frameworkCaseTypes(d.framework.id, d.framework.version) : []),
  }),
  fields: (v) => [
    {
      kind: 'checkboxes',
      name: 'caseTypes',
      legend: 'Which case types are in scope?',
      isPageHeading: true,
      hint: 'The framework’s own case types are selected to start with. Select all that apply.',
      items: CASE_TYPES.map((t) => ({
        value: t,
        text: CASE_TYPE_LABELS[t] ?? t,
        checked: checked(v, 'caseTypes', t),
      })),
    },
  ],
  parse: (v) => {
    const types = many(v, 'caseTypes').filter((t): t is CaseType =>
      (CASE_TYPES as readonly string[]).includes(t),
    );
    if (types.length === 0) return invalid('caseTypes', 'Select at least one case type');
    return { change: { caseTypes: CASE_TYPES.filter((t) => types.includes(t)) } };
  },
  summary: (d) =>
    d.caseTypes?.length === CASE_TYPES.length
      ? 'All case types'
      : listInWords((d.caseTypes ?? []).map((t) => CASE_TYPE_LABELS[t] ?? t)),
};

export const teamsStep: Step = {
  slug: 'teams',
  label: 'Teams',
  title: 'Which teams’ cases are in scope?',
  answered: (d) => d.teamIds !== undefined,
  values: (d) => ({
    teamScope: d.teamIds ? 'some' : 'all',
    teamIds: (d.teamIds ?? []).map(String),
  }),
  fields: async (v, look) => [
    {
      kind: 'radios',
      name: 'teamScope',
      legend: 'Which teams’ cases are in scope?',
      isPageHeading: true,
      items: [
        { value: 'all', text: 'Every team', checked: one(v, 'teamScope') !== 'some' },
        {
          value: 'some',
          text: 'Only some teams',
          checked: one(v, 'teamScope') === 'some',
          conditional: [
            {
              kind: 'checkboxes',
              name: 'teamIds',
              legend: 'Teams',
              legendSize: 's',
              small: true,
              items: (await look.teams()).map((t) => ({
                value: String(t.id),
                text: t.name,
                hint: t.localityName ?? undefined,
                checked: checked(v, 'teamIds', String(t.id)),
              })),
            },
          ],
        },
      ],
    },
  ],
  parse: async (v, look) => {
    if (one(v, 'teamScope') === 'all') return { change: { teamIds: null } };
    if (one(v, 'teamScope') !== 'some') return invalid('teamScope', 'Select every team, or only some teams');
    const known = new Set((await look.teams()).map((t) => String(t.id)));
    const ids = many(v, 'teamIds').filter((id) => known.has(id));
    if (ids.length === 0) return invalid('teamIds', 'Select at least one team');
    return { change: { teamIds: ids.map(Number) } };
  },
  summary: async (d, look) => {
    if (!d.teamIds) return 'Every team';
    const names = new Map((await look.teams()).map((t) => [t.id, t.name]));
    return listInWords(d.teamIds.map((id) => names.get(id) ?? `Team ${id}`));
  },
};

const CHILD_THEMES: { value: string; text: string; key: 'uasc' | 'missingEpisodes' | 'disability' }[] = [
  { value: 'uasc', text: 'Unaccompanied asylum-seeking children', key: 'uasc' },
  { value: 'missing', text: 'Children missing at least once in the last 12 months', key: 'missingEpisodes' },
  { value: 'disabled', text: 'Disabled children', key: 'disability' },
];

const codeChoices = (
  v: FormValues,
  name: string,
  codes: string[],
  label: (code: string) => string,
): Choice[] => codes.map((code) => ({ value: code, text: label(code), checked: checked(v, name, code) }));

export const themesStep: Step = {
  slug: 'themes',
  label: 'Theme',
  title: 'Is this a themed audit?',
  answered: (d) => d.themes !== undefined,
  values: (d) => {
    const t = d.themes;
    return {
      themed: t ? 'yes' : 'no',
      categoriesOfAbuse: t?.categoriesOfAbuse ?? [],
      placementTypes: t?.placementTypes ?? [],
      legalStatuses: t?.legalStatuses ?? [],
      child: CHILD_THEMES.filter((c) => t?.[c.key] !== undefined).map((c) => c.value),
      ageMin: t?.ageMin === undefined ? '' : String(t.ageMin),
      ageMax: t?.ageMax === undefined ? '' : String(t.ageMax),
    };
  },
  fields: async (v, look, d) => {
    const values = d.importId
      ? await look.attributes(d.importId)
      : { categoriesOfAbuse: [], placementTypes: [], legalStatuses: [] };
    const lists: Field[] = [
      [
        'categoriesOfAbuse',
        'Category of abuse (child protection plans)',
        values.categoriesOfAbuse,
        (c: string) => ABUSE_LABELS[c] ?? c,
      ],
      [
        'legalStatuses',
        'Legal status (children in care)',
        values.legalStatuses,
        (c: string) => codeLabel(LEGAL_STATUS_LABELS, c),
      ],
      [
        'placementTypes',
        'Placement type (children in care)',
        values.placementTypes,
        (c: string) => codeLabel(PLACEMENT_TYPE_LABELS, c),
      ],
    ]
      .filter(([, , codes]) => (codes as string[]).length > 0)
      .map(([name, legend, codes, label]) => ({
        kind: 'checkboxes' as const,
        name: name as string,
        legend: legend as string,
        legendSize: 's' as const,
        small: true,
        items: codeChoices(v, name as string, codes as string[], label as (c: string) => string),
      }));
    return [
      {
        kind: 'radios',
        name: 'themed',
        legend: 'Is this a themed audit?',
        isPageHeading: true,
        hint: 'A themed audit looks only at children with something in common, such as neglect or going missing.',
        items: [
          { value: 'no', text: 'No, sample from every case in scope', checked: one(v, 'themed') !== 'yes' },
          {
            value: 'yes',
            text: 'Yes, only children who match what I select',
            hint: 'A child must match one of the values selected in each list that is used.',
            checked: one(v, 'themed') === 'yes',
            conditional: [
              ...lists,
              {
                kind: 'checkboxes',
                name: 'child',
                legend: 'Children who are',
                legendSize: 's',
                small: true,
                items: CHILD_THEMES.map((c) => ({
                  value: c.value,
                  text: c.text,
                  checked: checked(v, 'child', c.value),
                })),
              },
              {
                kind: 'fieldset',
                name: 'age',
                legend: 'Age',
                legendSize: 's',
                hint: 'Leave blank for any age.',
                fields: [
                  {
                    kind: 'input',
                    name: 'ageMin',
                    label: 'From',
                    width: 2,
                    inputmode: 'numeric',
                    suffix: 'years',
                    value: one(v, 'ageMin'),
                  },
                  {
                    kind: 'input',
                    name: 'ageMax',
                    label: 'To',
                    width: 2,
                    inputmode: 'numeric',
                    suffix: 'years',
                    value: one(v, 'ageMax'),
                  },
                ],
              },
            ],
          },
        ],
      },
    ];
  },
  parse: (v) => {
    if (one(v, 'themed') === 'no') return { change: { themes: null } };
    if (one(v, 'themed') !== 'yes') return invalid('themed', 'Select whether this is a themed audit');
    const errors: FieldErrors = {};
    const age = (name: 'ageMin' | 'ageMax') => {
      const text = one(v, name);
      if (!text) return undefined;
      const n = wholeNumber(text, 0, 30);
      if (n === undefined)
        errors[name] = `${name === 'ageMin' ? 'From' : 'To'} age must be a whole number from 0 to 30`;
      return n;
    };
    const child = many(v, 'child');
    const themes: Themes = {
      ...(many(v, 'categoriesOfAbuse').length ? { categoriesOfAbuse: many(v, 'categoriesOfAbuse') } : {}),
      ...(many(v, 'legalStatuses').length ? { legalStatuses: many(v, 'legalStatuses') } : {}),
      ...(many(v, 'placementTypes').length ? { placementTypes: many(v, 'placementTypes') } : {}),
      ...(child.includes('uasc') ? { uasc: true } : {}),
      ...(child.includes('missing') ? { missingEpisodes: true } : {}),
      ...(child.includes('disabled') ? { disability: ['yes' as const] } : {}),
    };
    const ageMin = age('ageMin');
    const ageMax = age('ageMax');
    if (ageMin !== undefined) themes.ageMin = ageMin;
    if (ageMax !== undefined) themes.ageMax = ageMax;
    if (ageMin !== undefined && ageMax !== undefined && ageMin > ageMax)
      errors.ageMax = 'To age must be the same as or more than the from age';
    if (Object.keys(errors).length > 0) return { errors };
    if (Object.keys(themes).length === 0)
      return invalid('themed', 'Select at least one theme, or select “No”');
    return { change: { themes } };
  },
  summary: (d) => {
    const t = d.themes;
    if (!t) return 'Not themed';
    const parts = [
      ...(t.categoriesOfAbuse ?? []).map((c) => ABUSE_LABELS[c] ?? c),
      ...(t.legalStatuses ?? []).map((c) => codeLabel(LEGAL_STATUS_LABELS, c)),
      ...(t.placementTypes ?? []).map((c) => codeLabel(PLACEMENT_TYPE_LABELS, c)),
      ...CHILD_THEMES.filter((c) => t[c.key] !== undefined).map((c) => c.text),
      ...(t.ageMin !== undefined || t.ageMax !== undefined
        ? [`aged ${t.ageMin ?? 0} to ${t.ageMax ?? 30}`]
        : []),
    ];
    return parts.join('; ');
  },
};
