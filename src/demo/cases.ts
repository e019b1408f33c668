import { NATIVE } from '../cases/formats';
import { toCsv } from '../files/csv/writer';
import type { CaseType } from '../frameworks/types';
import type { TeamKind } from '../organisation/types';
import { createRng, type Rng } from '../sampling/rng';
import { TEAMS, TEAM_SIZE, staffName } from './organisation';

/** The demo case list's file name: its import is found again by it, so seeding stays idempotent. */
export const DEMO_CASE_LIST = 'demoshire-open-cases.csv';

/** The native columns, in the documented order. */
const HEADER = NATIVE.columns.map((c) => c.name);

/** The case types each kind of team holds, the first most often. */
const CASE_TYPES_BY_KIND: Record<TeamKind, CaseType[]> = {
  front_door: ['front-door'],
  assessment: ['child-in-need', 'child-in-need', 'child-protection'],
  family_safeguarding: ['child-in-need', 'child-protection', 'child-protection'],
  children_in_care: ['child-in-care'],
  care_leavers: ['care-leaver'],
  disabled_children: ['disabled-children', 'disabled-children', 'child-in-need'],
  early_help: ['early-help'],
  youth_justice: ['youth-justice'],
  other: ['child-in-need'],
};

const ETHNICITIES = ['WBRI', 'WBRI', 'WBRI', 'WOTH', 'MWBC', 'ABAN', 'APKN', 'BAFR', 'BCRB', 'CHNE', 'OOTH'];
const ABUSE = [
  'neglect',
  'neglect',
  'neglect',
  'emotional-abuse',
  'emotional-abuse',
  'physical-abuse',
  'sexual-abuse',
];
const LEGAL = ['C2', 'C2', 'C1', 'V2', 'V2', 'E1'];
const PLACEMENTS = ['U6', 'U6', 'U4', 'U3', 'U1', 'K2', 'P1', 'R1'];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.below(items.length)] as T;

function ageFor(type: CaseType, rng: Rng): number {
  if (type === 'care-leaver') return 18 + rng.below(7);
  if (type === 'youth-justice') return 10 + rng.below(8);
  return rng.below(18);
}

function row(reference: number, type: CaseType, team: string, worker: string, rng: Rng): string[] {
  const age = ageFor(type, rng);
  const inCare = type === 'child-in-care';
  const started = new Date(Date.UTC(2026, 10, 1) - (30 + rng.below(900)) * 86_400_000);
  return [
    `DS${String(reference).padStart(6, '0')}`,
    type,
    team,
    worker,
    String(age),
    rng.below(2) ? 'Female' : 'Male',
    pick(rng, ETHNICITIES),
    type === 'disabled-children' || rng.below(12) === 0 ? 'yes' : 'no',
    inCare ? pick(rng, LEGAL) : '',
    type === 'child-protection' ? pick(rng, ABUSE) : '',
    inCare ? pick(rng, PLACEMENTS) : '',
    inCare || type === 'care-leaver' ? (age >= 14 && rng.below(8) === 0 ? 'yes' : 'no') : '',
    inCare ? String(rng.below(6) === 0 ? 1 + rng.below(4) : 0) : '',
    `${String(started.getUTCDate()).padStart(2, '0')}/${String(started.getUTCMonth() + 1).padStart(2, '0')}/${started.getUTCFullYear()}`,
    rng.below(40) === 0 ? 'yes' : 'no',
    rng.below(60) === 0 ? 'yes' : 'no',
  ];
}

/**
 * Demoshire's open cases as a native CSV case list: each case holder (every team member but the manager)
 * with 10 to 19 cases of the types their team holds. The same list on every machine (a fixed seed).
 */
export function demoCaseList(): string {
  const rng = createRng(2026, 'demo-cases');
  const rows: string[][] = [];
  TEAMS.forEach((team, t) => {
    for (let member = 1; member < TEAM_SIZE; member++) {
      const worker = staffName(t * TEAM_SIZE + member);
      const caseload = 10 + rng.below(10);
      for (let c = 0; c < caseload; c++) {
        rows.push(
          row(100001 + rows.length, pick(rng, CASE_TYPES_BY_KIND[team.kind]), team.name, worker, rng),
        );
      }
    }
  });
  return toCsv([HEADER, ...rows]);
}
