import { CASE_TYPES, type CaseType } from '../frameworks/types';
import { expandHeader, matchHeaders, normaliseHeader } from './header-match';
import {
  BadValue,
  CATEGORIES_OF_ABUSE,
  date,
  leadingCode,
  slug,
  text,
  wholeNumber,
  withoutLetterPrefix,
  yesNo,
  type Cell,
} from './values';

/** One case as read from a row, before teams and workers are matched. */
export interface ParsedCase {
  caseRef: string;
  caseType: CaseType;
  teamName: string;
  workerName?: string;
  ageYears?: number;
  gender?: string;
  ethnicity?: string;
  disability?: 'yes' | 'no' | 'unknown';
  legalStatus?: string;
  categoryOfAbuse?: string;
  placementType?: string;
  uasc?: boolean;
  missingEpisodes?: number;
  startDate?: string;
  /** For lists with one row per event (referrals, enquiries): the event's date, to keep the latest. */
  eventDate?: string;
  closed: boolean;
  restricted: boolean;
  /** Other facts used by themed filters, as short codes or counts. */
  attributes: Record<string, string | number>;
}

type Reader = (cell: Cell) => unknown;

export interface ColumnSpec {
  /** The header as documented, for messages. */
  name: string;
  /** Tolerant match on the header, lower-cased with runs of spaces and punctuation made single spaces. */
  match: RegExp;
  /** Other ways systems word the header, matched by their words in any order (see header-match.ts). */
  aliases?: string[];
  /** The column must be present. */
  column?: boolean;
  /** Every row must have a value. */
  value?: boolean;
  /** A coded column: the values it allows, which a council's own wording can be mapped to. */
  allowed?: readonly string[];
  read: Reader;
  apply: (c: ParsedCase, value: never) => void;
}

export interface SheetSpec {
  format: 'native' | 'annex-a';
  /** Annex A list number. */
  list?: number;
  title: string;
  /** The case type every row takes (Annex A: the list decides), or read from a column (native). */
  caseType?: CaseType;
  /** When a child is on several lists, the case is taken from the one with the highest precedence. */
  precedence: number;
  /** Lists with one row per event may hold a child more than once; elsewhere a repeat is an error. */
  repeatsAllowed: boolean;
  /** A header only this list has, to recognise it when the sheet is not named "List N". */
  signature?: RegExp;
  /** The list's own topic words ("looked after"), which headers may add or leave out. */
  context?: string[];
  columns: ColumnSpec[];
}

export { normaliseHeader };

const str: Reader = (cell) => text(cell);
const code: Reader = (cell) => {
  const value = text(cell);
  return value === undefined ? undefined : leadingCode(value);
};
const label: Reader = (cell) => {
  const value = text(cell);
  return value === undefined ? undefined : withoutLetterPrefix(value);
};
const labelCode: Reader = (cell) => {
  const value = text(cell);
  return value === undefined ? undefined : slug(value);
};
const ABUSE_VALUES = [...new Set(Object.values(CATEGORIES_OF_ABUSE))];
const abuse: Reader = (cell) => {
  const value = text(cell);
  if (value === undefined) return undefined;
  return CATEGORIES_OF_ABUSE[slug(value)] ?? new BadValue(`must be one of ${ABUSE_VALUES.join(', ')}`);
};
/** SSDA903 legal statuses of children in care. */
const LEGAL_STATUSES = ['C1', 'C2', 'D1', 'E1', 'J1', 'J2', 'J3', 'L1', 'L2', 'L3', 'V2', 'V3', 'V4'];
const legalStatus: Reader = (cell) => {
  const value = code(cell);
  return typeof value !== 'string' || LEGAL_STATUSES.includes(value)
    ? value
    : new BadValue(`must be an SSDA903 legal status: ${LEGAL_STATUSES.join(', ')}`);
};
const YES_NO = ['yes', 'no'];
const YES_NO_UNKNOWN = ['yes', 'no', 'unknown'];
const flag: Reader = (cell) => {
  const value = yesNo(cell, false);
  return value instanceof BadValue || value === undefined ? value : value === 'yes';
};
const ynu: Reader = (cell) => yesNo(cell, true);
const age: Reader = (cell) => wholeNumber(cell, 0, 30);
const count: Reader = (cell) => wholeNumber(cell, 0, 10000);
const present: Reader = (cell) => {
  const value = date(cell);
  return value instanceof BadValue ? value : value !== undefined;
};

const CASE_TYPE_WORDS: Record<string, CaseType> = {
  ...Object.fromEntries(CASE_TYPES.map((t) => [t, t])),
  eh: 'early-help',
  cin: 'child-in-need',
  'children-in-need': 'child-in-need',
  cp: 'child-protection',
  cpp: 'child-protection',
  cic: 'child-in-care',
  lac: 'child-in-care',
  'looked-after': 'child-in-care',
  'children-in-care': 'child-in-care',
  cl: 'care-leaver',
  'care-leavers': 'care-leaver',
  'leaving-care': 'care-leaver',
  'disabled-child': 'disabled-children',
  cwd: 'disabled-children',
  mash: 'front-door',
  yj: 'youth-justice',
};
const caseType: Reader = (cell) => {
  const value = text(cell);
  if (value === undefined) return undefined;
  return CASE_TYPE_WORDS[slug(value)] ?? new BadValue(`must be one of ${CASE_TYPES.join(', ')}`);
};

const attribute =
  (key: string): ColumnSpec['apply'] =>
  (c, value: string | number) => {
    c.attributes[key] = value;
  };
const closeWhen: ColumnSpec['apply'] = (c, value: boolean) => {
  if (value) c.closed = true;
};

/** A column kept as a short code or label in the case's attributes, for themed filters. */
const attributeColumn = (
  name: string,
  match: RegExp,
  aliases: string[],
  read: Reader,
  key: string,
): ColumnSpec => ({ name, match, aliases, read, apply: attribute(key) });

const COMMON = {
  ref: {
    name: 'Child Unique ID',
    match: /child.*id/,
    aliases: [
      'id',
      'child id',
      'unique id',
      'child reference',
      'case reference',
      'reference number',
      'person id',
    ],
    column: true,
    value: true,
    read: str,
    apply: (c: ParsedCase, v: string) => (c.caseRef = v),
  },
  team: {
    name: 'Allocated Team',
    match: /allocated team/,
    aliases: ['team', 'team allocated', 'responsible team'],
    column: true,
    value: true,
    read: str,
    apply: (c: ParsedCase, v: string) => (c.teamName = v),
  },
  worker: {
    name: 'Allocated Worker',
    match: /allocated worker/,
    aliases: [
      'worker',
      'social worker',
      'allocated social worker',
      'key worker',
      'case worker',
      'lead professional',
    ],
    read: str,
    apply: (c: ParsedCase, v: string) => (c.workerName = v),
  },
  gender: {
    name: 'Gender',
    match: /^gender/,
    aliases: ['sex'],
    read: label,
    apply: (c: ParsedCase, v: string) => (c.gender = v),
  },
  ethnicity: {
    name: 'Ethnicity',
    match: /ethnicity/,
    aliases: ['ethnic origin', 'ethnic group'],
    read: code,
    apply: (c: ParsedCase, v: string) => (c.ethnicity = v),
  },
  age: {
    name: 'Age of Child (Years)',
    match: /^age\b/,
    aliases: ['age'],
    read: age,
    apply: (c: ParsedCase, v: number) => (c.ageYears = v),
  },
  disability: {
    name: 'Does the Child have a Disability',
    match: /disability/,
    aliases: ['disabled', 'has disability'],
    allowed: YES_NO_UNKNOWN,
    read: ynu,
    apply: (c: ParsedCase, v: ParsedCase['disability']) => (c.disability = v),
  },
  uasc: {
    name: 'Unaccompanied Asylum Seeking Child (UASC)',
    match: /unaccompanied asylum seeking child/,
    allowed: YES_NO,
    read: flag,
    apply: (c: ParsedCase, v: boolean) => (c.uasc = v),
  },
} satisfies Record<string, ColumnSpec>;

const annexA = (
  list: number,
  title: string,
  caseType: CaseType,
  repeatsAllowed: boolean,
  signature: RegExp,
  context: string[],
  columns: ColumnSpec[],
): SheetSpec => ({
  format: 'annex-a',
  list,
  title,
  caseType,
  precedence: list,
  repeatsAllowed,
  signature,
  context,
  columns: [COMMON.ref, COMMON.team, COMMON.worker, COMMON.gender, COMMON.ethnicity, COMMON.age, ...columns],
});

const startDate = (name: string, match: RegExp, aliases: string[] = []): ColumnSpec => ({
  name,
  match,
  aliases,
  read: date,
  apply: (c, v: string) => (c.startDate = v),
});
const eventDate = (name: string, match: RegExp, aliases: string[]): ColumnSpec => ({
  name,
  match,
  aliases,
  read: date,
  apply: (c, v: string) => {
    c.eventDate = v;
    c.startDate = v;
  },
});

/**
 * Ofsted Annex A lists 3 to 9: the lists that carry an allocated team. Only the columns auditing needs are
 * read (no dates of birth, postcodes or placement addresses).
 */
export const ANNEX_A_LISTS: readonly SheetSpec[] = [
  annexA(
    3,
    'Referrals',
    'front-door',
    true,
    /date of referral/,
    ['referral'],
    [eventDate('Date of referral', /date of referral/, ['referral date', 'referral received date'])],
  ),
  annexA(
    4,
    'Assessments',
    'child-in-need',
    false,
    /continuous assessment start date/,
    ['assessment'],
    [
      COMMON.disability,
      startDate('Continuous Assessment Start Date', /assessment start date/, ['assessment start date']),
    ],
  ),
  annexA(
    5,
    'Section 47 enquiries and ICPCs',
    'child-protection',
    true,
    /strategy discussion/,
    ['section 47 enquiry'],
    [
      COMMON.disability,
      eventDate(
        'Strategy discussion initiating Section 47 Enquiry Start Date',
        /strategy discussion.*start date/,
        ['strategy discussion date', 'strategy discussion start date', 'section 47 enquiry start date'],
      ),
    ],
  ),
  annexA(
    6,
    'Children in need',
    'child-in-need',
    false,
    /cin start date/,
    ['child in need'],
    [
      COMMON.disability,
      startDate('CIN Start Date', /cin start date/),
      attributeColumn('Primary Need Code', /primary need/, ['need code'], code, 'primaryNeed'),
      {
        name: 'CIN Closure Date',
        match: /cin closure date/,
        aliases: ['cin end date', 'cin closed date'],
        read: present,
        apply: closeWhen,
      },
      {
        name: 'Case Status',
        match: /case status/,
        aliases: ['status of case', 'cin status'],
        read: labelCode,
        apply: (c, v: string) => {
          c.attributes.caseStatus = v;
          if (v === 'closed-episode') c.closed = true;
        },
      },
    ],
  ),
  annexA(
    7,
    'Child protection',
    'child-protection',
    false,
    /child protection plan start date/,
    ['child protection'],
    [
      COMMON.disability,
      startDate('Child Protection Plan Start Date', /child protection plan start date/),
      {
        name: 'Latest Category of Abuse',
        match: /latest category of abuse/,
        aliases: ['category of abuse', 'abuse category', 'latest abuse category'],
        allowed: ABUSE_VALUES,
        read: abuse,
        apply: (c, v: string) => (c.categoryOfAbuse = v),
      },
      {
        name: 'Child Protection Plan End Date',
        match: /child protection plan end date/,
        read: present,
        apply: closeWhen,
      },
      attributeColumn(
        'Number of Previous Child Protection Plans',
        /number of previous child protection plans/,
        ['previous child protection plans', 'previous plans'],
        count,
        'previousPlans',
      ),
    ],
  ),
  annexA(
    8,
    'Children in care',
    'child-in-care',
    false,
    /date started to be looked after/,
    ['looked after', 'care'],
    [
      COMMON.disability,
      COMMON.uasc,
      startDate('Date Started to be Looked After', /date started to be looked after/, [
        'looked after start date',
        'date entered care',
        'care start date',
      ]),
      attributeColumn(
        "Child's Category of Need",
        /category of need/,
        ['need category'],
        code,
        'categoryOfNeed',
      ),
      {
        name: "Child's Legal Status",
        match: /child.*legal status/,
        allowed: LEGAL_STATUSES,
        read: legalStatus,
        apply: (c, v: string) => (c.legalStatus = v),
      },
      {
        name: 'Placement Type',
        match: /^placement type/,
        aliases: ['type of placement'],
        read: code,
        apply: (c, v: string) => (c.placementType = v),
      },
      {
        name: "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
        match: /number of episodes.*missing/,
        aliases: ['missing episodes', 'number of missing episodes', 'missing episodes last 12 months'],
        read: count,
        apply: (c, v: number) => (c.missingEpisodes = v),
      },
      {
        name: 'Date Ceased to be Looked After',
        match: /date ceased to be looked after/,
        aliases: ['looked after end date', 'date left care', 'care end date'],
        read: present,
        apply: closeWhen,
      },
    ],
  ),
  annexA(
    9,
    'Care leavers',
    'care-leaver',
    false,
    /eligibility category/,
    ['care leaver'],
    [
      COMMON.disability,
      COMMON.uasc,
      attributeColumn(
        'Eligibility Category',
        /eligibility category/,
        ['eligibility'],
        labelCode,
        'eligibility',
      ),
      attributeColumn(
        'LA in Touch',
        /la in touch/,
        ['in touch', 'in touch with local authority'],
        labelCode,
        'inTouch',
      ),
      attributeColumn(
        'Type of Accommodation',
        /type of accommodation/,
        ['accommodation type', 'accommodation'],
        code,
        'accommodation',
      ),
      attributeColumn(
        'Suitability of Accommodation',
        /suitability of accommodation/,
        ['accommodation suitability', 'suitable accommodation'],
        labelCode,
        'accommodationSuitability',
      ),
      attributeColumn('Activity Status', /activity status/, ['activity', 'main activity'], code, 'activity'),
    ],
  ),
];

/** The native CSV: one row per open case (documented in the README). */
export const NATIVE: SheetSpec = {
  format: 'native',
  title: 'Case list',
  precedence: 0,
  repeatsAllowed: false,
  columns: [
    {
      ...COMMON.ref,
      name: 'case_reference',
      match: /^(case reference|case ref|child id|child unique id|reference)$/,
    },
    {
      name: 'case_type',
      match: /^case type$/,
      column: true,
      value: true,
      allowed: CASE_TYPES,
      read: caseType,
      apply: (c, v: CaseType) => (c.caseType = v),
    },
    { ...COMMON.team, name: 'team', match: /^(team|allocated team)$/ },
    { ...COMMON.worker, name: 'worker', match: /^(worker|allocated worker)$/ },
    { ...COMMON.age, name: 'age', match: /^age( years)?$/ },
    { ...COMMON.gender, name: 'gender', match: /^gender$/ },
    { ...COMMON.ethnicity, name: 'ethnicity', match: /^ethnicity$/ },
    { ...COMMON.disability, name: 'disability', match: /^disability$/ },
    {
      name: 'legal_status',
      match: /^legal status$/,
      allowed: LEGAL_STATUSES,
      read: legalStatus,
      apply: (c, v: string) => (c.legalStatus = v),
    },
    {
      name: 'category_of_abuse',
      match: /^category of abuse$/,
      allowed: ABUSE_VALUES,
      read: abuse,
      apply: (c, v: string) => (c.categoryOfAbuse = v),
    },
    {
      name: 'placement_type',
      match: /^placement type$/,
      read: code,
      apply: (c, v: string) => (c.placementType = v),
    },
    { ...COMMON.uasc, name: 'uasc', match: /^uasc$/ },
    {
      name: 'missing_episodes',
      match: /^missing episodes$/,
      read: count,
      apply: (c, v: number) => (c.missingEpisodes = v),
    },
    startDate('start_date', /^start date$/),
    {
      name: 'closed',
      match: /^closed$/,
      allowed: YES_NO,
      read: flag,
      apply: (c, v: boolean) => (c.closed = v),
    },
    {
      name: 'restricted',
      match: /^restricted$/,
      allowed: YES_NO,
      read: flag,
      apply: (c, v: boolean) => (c.restricted = v),
    },
  ],
};

/** What the reference and team columns are called in each format, for messages. */
export const KEY_COLUMNS: Record<'native' | 'annex-a', { ref: string; team: string }> = {
  native: { ref: 'case_reference', team: 'team' },
  'annex-a': { ref: COMMON.ref.name, team: COMMON.team.name },
};

const COMMON_COLUMNS = new Set<ColumnSpec>(Object.values(COMMON));

/**
 * How strongly headers say a sheet is this Annex A list: the scores of its own columns (not the common ones).
 * A list needs a child id, and an allocated team or its signature header: lists without a team (1, 2, 10, 11)
 * are not read, even where a column looks like one of these lists'.
 */
function listScore(headers: readonly string[], list: SheetSpec): number {
  const matches = matchHeaders(headers, list);
  const has = (column: ColumnSpec) => matches.some((m) => m.column === column);
  const signed = headers.some(
    (h) => list.signature?.test(normaliseHeader(h)) || list.signature?.test(expandHeader(h)),
  );
  if (!has(COMMON.ref) || !(has(COMMON.team) || signed)) return 0;
  return matches.filter((m) => !COMMON_COLUMNS.has(m.column)).reduce((sum, m) => sum + m.score, 0);
}

/**
 * Which format and list a sheet is: native when it has a case type and a reference; else the Annex A list
 * its name says ("List 6"); else the Annex A list whose own columns its headers match best (see listScore;
 * a tie between lists recognises none).
 */
export function detectSheet(headers: readonly string[], sheetName: string): SheetSpec | undefined {
  const native = matchHeaders(headers, NATIVE);
  if (
    native.some((m) => m.column === NATIVE.columns[0]) &&
    native.some((m) => m.column === NATIVE.columns[1])
  ) {
    return NATIVE;
  }
  const byName = /list\s*(\d+)/i.exec(sheetName);
  if (byName) return ANNEX_A_LISTS.find((l) => l.list === Number(byName[1]));
  const scored = ANNEX_A_LISTS.map((list) => ({ list, score: listScore(headers, list) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const [best, next] = scored;
  return best && best.score !== next?.score ? best.list : undefined;
}
