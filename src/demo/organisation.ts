import type { Role } from '../auth/roles';
import type { TeamKind } from '../organisation/types';

/** Demoshire County Council: a fictional county children's service, big enough to look real. */
export const DEMO_EMAIL_DOMAIN = 'demoshire.example';

export const LOCALITIES = [
  { code: 'north', name: 'North' },
  { code: 'south', name: 'South' },
  { code: 'east', name: 'East' },
  { code: 'west', name: 'West' },
] as const;
type LocalityCode = (typeof LOCALITIES)[number]['code'];

export const SERVICE_AREAS = [
  { code: 'front-door', name: 'Front Door and Assessment', head: 'Marcus Reid' },
  { code: 'safeguarding', name: 'Safeguarding and Family Support', head: 'Fiona Gallagher' },
  { code: 'children-in-care', name: 'Children in Care and Care Leavers', head: 'Daniel Okafor' },
  { code: 'disabled-children', name: 'Disabled Children', head: 'Rebecca Lloyd' },
] as const;
type ServiceAreaCode = (typeof SERVICE_AREAS)[number]['code'];

export interface DemoTeam {
  code: string;
  name: string;
  kind: TeamKind;
  locality: LocalityCode | null;
  serviceArea: ServiceAreaCode;
  /** Job title of the case-holding staff. */
  practitionerTitle: string;
}

const perLocality = (
  prefix: string,
  name: string,
  kind: TeamKind,
  serviceArea: ServiceAreaCode,
  practitionerTitle: string,
  localities: readonly LocalityCode[] = ['north', 'south', 'east', 'west'],
): DemoTeam[] =>
  localities.map((locality) => ({
    code: `${prefix}-${locality}`,
    name: `${name} ${locality[0]?.toUpperCase()}${locality.slice(1)}`,
    kind,
    locality,
    serviceArea,
    practitionerTitle,
  }));

export const TEAMS: readonly DemoTeam[] = [
  {
    code: 'mash',
    name: 'Multi-Agency Safeguarding Hub',
    kind: 'front_door',
    locality: null,
    serviceArea: 'front-door',
    practitionerTitle: 'Social Worker',
  },
  ...perLocality('assessment', 'Assessment', 'assessment', 'front-door', 'Social Worker'),
  ...(['north', 'south', 'east', 'west'] as const).flatMap((locality) =>
    [1, 2].map((n) => ({
      code: `family-safeguarding-${locality}-${n}`,
      name: `Family Safeguarding ${locality[0]?.toUpperCase()}${locality.slice(1)} ${n}`,
      kind: 'family_safeguarding' as const,
      locality,
      serviceArea: 'safeguarding' as const,
      practitionerTitle: 'Social Worker',
    })),
  ),
  ...perLocality(
    'children-in-care',
    'Children in Care',
    'children_in_care',
    'children-in-care',
    'Social Worker',
  ),
  ...perLocality('leaving-care', 'Leaving Care', 'care_leavers', 'children-in-care', 'Personal Adviser', [
    'north',
    'south',
  ]),
  {
    code: 'disabled-children',
    name: "Disabled Children's Team",
    kind: 'disabled_children',
    locality: null,
    serviceArea: 'disabled-children',
    practitionerTitle: 'Social Worker',
  },
];

const FIRST_NAMES = [
  'Olivia',
  'Amir',
  'Grace',
  'Tom',
  'Chloe',
  'Hassan',
  'Emily',
  'Jack',
  'Zara',
  'Liam',
  'Sophie',
  'Kwame',
  'Hannah',
  'Ryan',
  'Leah',
  'Imran',
  'Megan',
  'Owen',
  'Niamh',
  'Ethan',
  'Ruth',
  'Dylan',
  'Fatima',
  'Callum',
  'Bethan',
  'Joseph',
  'Aaliyah',
  'Rhys',
  'Keisha',
  'Adam',
  'Holly',
  'Ravi',
  'Lucy',
  'Sean',
  'Mei',
  'Harry',
  'Amara',
  'Luke',
  'Jasmine',
  'Nathan',
  'Eleanor',
  'Tariq',
  'Alice',
  'Kieran',
  'Nadia',
  'George',
  'Rosie',
  'Ben',
] as const;
const LAST_NAMES = [
  'Walker',
  'Hussain',
  'Evans',
  'Thompson',
  'Begum',
  'Roberts',
  'Mensah',
  'Hughes',
  'Clarke',
  'Ali',
  'Wright',
  'Davies',
  'Murphy',
  'Singh',
  'Green',
  'Campbell',
  'Ahmed',
  'Morgan',
  'Cooper',
  'Nowak',
  'Turner',
  'Price',
  'Adeyemi',
  'Kelly',
  'Bennett',
  'Chen',
  'Parker',
  'Jones',
  'Shaw',
  'Mitchell',
  'Khan',
  'Edwards',
  'Baker',
  'Okoro',
  'Ward',
  'Phillips',
  'Moore',
  'Rahman',
  'Fox',
  'Harrison',
] as const;

/** Deterministic, distinct staff names: the same on every machine, so the seed stays idempotent. */
export function staffName(index: number): string {
  const first = FIRST_NAMES[(index * 7) % FIRST_NAMES.length];
  const last = LAST_NAMES[(index * 13 + Math.floor(index / LAST_NAMES.length)) % LAST_NAMES.length];
  return `${first} ${last}`;
}

/** Staff per team: a team manager, an advanced practitioner and three case holders. */
export const TEAM_SIZE = 5;

/**
 * One demo user per way of using the service. Some are staff records of the organisation above (a team's
 * manager, a service area's head); the others are central staff. Team managers also audit other teams'
 * cases, as in most councils; the head of service also moderates.
 */
export type DemoUser = { roles: Role[] } & (
  { displayName: string } | { managerOf: string } | { headOf: ServiceAreaCode }
);

export const DEMO_USERS: readonly DemoUser[] = [
  { displayName: 'Sam Patel', roles: ['admin'] },
  { displayName: 'Aisha Khan', roles: ['auditor'] },
  { displayName: 'Priya Shah', roles: ['moderator', 'auditor'] },
  { managerOf: 'assessment-north', roles: ['team_manager', 'auditor'] },
  { managerOf: 'family-safeguarding-south-1', roles: ['team_manager'] },
  { headOf: 'safeguarding', roles: ['head_of_service', 'moderator'] },
  { displayName: 'Helen Clarke', roles: ['director'] },
];

export function emailFor(displayName: string): string {
  return `${displayName.toLowerCase().replace(/[^a-z]+/g, '.')}@${DEMO_EMAIL_DOMAIN}`;
}

/** Staff ids in the demo's case-management system: heads of service, then five per team in team order. */
export const headRef = (areaCode: string) => `DEMO-HOS-${areaCode}`;
export const staffRef = (index: number) => `DEMO-STAFF-${index}`;

function teamIndex(teamCode: string): number {
  const index = TEAMS.findIndex((team) => team.code === teamCode);
  if (index < 0) throw new Error(`no demo team ${teamCode}`);
  return index;
}

/** Who a demo user is, and which staff record they are (if any). */
export function identityOf(user: DemoUser): { displayName: string; email: string; personRef?: string } {
  let displayName: string;
  let personRef: string | undefined;
  if ('managerOf' in user) {
    const index = teamIndex(user.managerOf) * TEAM_SIZE;
    displayName = staffName(index);
    personRef = staffRef(index);
  } else if ('headOf' in user) {
    displayName = SERVICE_AREAS.find((area) => area.code === user.headOf)?.head ?? user.headOf;
    personRef = headRef(user.headOf);
  } else {
    displayName = user.displayName;
  }
  return { displayName, email: emailFor(displayName), ...(personRef ? { personRef } : {}) };
}
