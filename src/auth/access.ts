import type { Role } from './roles';

/**
 * Which roles may use each area of the service. Routes guard themselves with these lists and the navigation
 * is built from them, so a link is shown exactly when the page behind it would let the user in.
 */
export const ACCESS = {
  home: 'signed-in',
  myAudits: ['auditor'],
  moderation: ['moderator'],
  escalations: ['team_manager', 'head_of_service', 'admin'],
  needsAttention: ['admin'],
  agreement: ['moderator', 'head_of_service', 'director', 'admin'],
  calibration: ['moderator', 'admin'],
  /** Remediation records, case by case: their teams' (managers), those to verify (auditors, moderators). */
  actions: ['team_manager', 'head_of_service', 'auditor', 'moderator', 'admin'],
  teams: ['team_manager', 'head_of_service', 'admin'],
  cases: ['team_manager', 'head_of_service', 'admin'],
  /** Planning, allocating and closing rounds. */
  rounds: ['admin'],
  /** Rounds' progress and grades so far: managers see their own teams' audits only. */
  roundProgress: ['team_manager', 'head_of_service', 'admin'],
  frameworks: ['auditor', 'moderator', 'team_manager', 'head_of_service', 'admin'],
  /** Aggregate figures only: each role's scope for aggregates (src/auth/scope.ts). */
  reports: ['director', 'head_of_service', 'team_manager', 'admin'],
  /** Audit results as CSV or XLSX: case-level data, within each role's case-record scope (no directors). */
  exports: ['team_manager', 'head_of_service', 'admin'],
  admin: ['admin'],
} as const satisfies Record<string, readonly Role[] | 'signed-in'>;

export type Area = keyof typeof ACCESS;

export function mayUse(roles: readonly Role[], area: Area): boolean {
  const allowed = ACCESS[area];
  return allowed === 'signed-in' || allowed.some((role) => roles.includes(role));
}

interface NavItem {
  area: Area;
  href: string;
  text: string;
}

const NAVIGATION: readonly NavItem[] = [
  { area: 'home', href: '/', text: 'Home' },
  { area: 'myAudits', href: '/my-audits', text: 'My audits' },
  { area: 'moderation', href: '/moderation', text: 'Moderation' },
  { area: 'escalations', href: '/escalations', text: 'Escalations' },
  { area: 'actions', href: '/actions', text: 'Actions' },
  { area: 'teams', href: '/teams', text: 'Teams' },
  { area: 'cases', href: '/cases', text: 'Cases' },
  { area: 'roundProgress', href: '/rounds', text: 'Audit rounds' },
  { area: 'frameworks', href: '/frameworks', text: 'Frameworks' },
  { area: 'reports', href: '/reports', text: 'Reports' },
  { area: 'admin', href: '/admin', text: 'Admin' },
];

export interface NavLink {
  href: string;
  text: string;
  current: boolean;
}

/** The links a user may follow, with the one for the current page marked. */
export function navigationFor(roles: readonly Role[], currentPath: string): NavLink[] {
  return NAVIGATION.filter((item) => mayUse(roles, item.area)).map((item) => ({
    href: item.href,
    text: item.text,
    current:
      item.href === '/'
        ? currentPath === '/'
        : currentPath === item.href || currentPath.startsWith(`${item.href}/`),
  }));
}
