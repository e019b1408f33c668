import { Readable } from 'node:stream';
import type { Actor } from '../activity-log/actor';
import type { Services } from '../services';
import { DEMO_CASE_LIST, demoCaseList } from './cases';
import { seedDemoAdminHistory } from './admin-history';
import { seedDemoGrading, type GradingResult } from './grading';
import { CLOSED_ROUND, seedDemoClosedRound } from './closed-round';
import { londonDate } from '../dates';
import { seedDemoRemediation, type RemediationResult } from './remediation';
import { seedDemoEscalation } from './escalation';
import { seedDemoRestrictedGrant } from './restricted';
import type { Database } from '../db/transaction';

export interface ActivityResult {
  /** Cases imported by this run: 0 when the demo case list was already there. */
  casesImported: number;
  /** Cases in the demo case list, whether imported now or before. */
  casesInList: number;
  importCreated: boolean;
  /** Whether the administration history (a leaver, a renamed team) was added by this run. */
  adminHistoryAdded: boolean;
  /** The restricted case granted to a demo team manager by this run, if it was. */
  restrictedCaseGranted?: string;
  roundsCreated: string[];
  /** Rounds not created because their framework is not loaded. */
  roundsSkipped: string[];
  grading?: GradingResult;
  remediation?: RemediationResult;
  escalation?: { escalated: number };
}

/**
 * This month's monthly audit (two cases per team), a themed audit of neglect on child protection plans, and
 * a small multi-agency neglect audit of other children on plans for neglect (the sampling leaves out those
 * already in the themed audit).
 */
function demoRounds(importId: number) {
  const month = new Intl.DateTimeFormat('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  }).format(new Date());
  const common = {
    importId,
    dueDate: londonDate(28),
    exclusions: { auditedWithinMonths: 12, inOtherOpenRound: true, closed: true, restricted: true },
  };
  return [
    {
      ...common,
      name: `${month} monthly audit`,
      frameworkId: 'childrens-social-care-case-audit',
      seed: 20261101,
      filters: {},
      size: { kind: 'per-team' as const, perTeam: 2 },
      stratifyBy: 'team' as const,
    },
    {
      ...common,
      name: `${month} neglect themed audit`,
      frameworkId: 'child-protection-thematic',
      seed: 20261102,
      filters: { caseTypes: ['child-protection' as const], categoriesOfAbuse: ['neglect'] },
      size: { kind: 'fixed' as const, total: 8 },
      stratifyBy: 'team' as const,
    },
    {
      ...common,
      name: `${month} multi-agency neglect audit`,
      frameworkId: 'multi-agency-neglect-thematic',
      seed: 20261105,
      filters: { caseTypes: ['child-protection' as const], categoriesOfAbuse: ['neglect'] },
      size: { kind: 'fixed' as const, total: 4 },
      stratifyBy: 'none' as const,
    },
  ];
}

/**
 * The demo's working data on top of the organisation: Demoshire's case list, imported, and audit rounds
 * sampled from it and allocated to the demo auditors (one of them closed, its unsubmitted audits cancelled). Idempotent: the case list is found again by its file
 * name, and rounds are created only when there are none.
 */
export async function seedDemoActivity(
  services: Pick<
    Services,
    | 'cases'
    | 'rounds'
    | 'frameworks'
    | 'audits'
    | 'moderation'
    | 'calibration'
    | 'users'
    | 'escalations'
    | 'organisationAdmin'
    | 'roundClosing'
    | 'remediation'
    | 'restrictedCases'
  >,
  actor: Actor,
  /** For the demo's one shortcut: a record made overdue without waiting for time to pass. */
  db: Database,
): Promise<ActivityResult> {
  const existing = (await services.cases.listImported()).find((i) => i.sourceName === DEMO_CASE_LIST);
  let importId = existing?.id;
  let casesImported = 0;
  if (importId === undefined) {
    const outcome = await services.cases.importCases(
      { stream: Readable.from([Buffer.from(demoCaseList())]), kind: 'csv', name: DEMO_CASE_LIST },
      { format: 'native', mode: 'all-or-nothing', unknownTeams: 'reject', sourceName: DEMO_CASE_LIST },
      actor,
    );
    if (outcome.status !== 'imported')
      throw new Error(`The demo case list was refused: ${JSON.stringify(outcome.problems.slice(0, 3))}`);
    importId = outcome.id;
    casesImported = outcome.casesImported;
  }

  const result: ActivityResult = {
    casesImported,
    casesInList: existing?.casesImported ?? casesImported,
    importCreated: !existing,
    adminHistoryAdded: false,
    roundsCreated: [],
    roundsSkipped: [],
  };
  // After the import: the case list names teams as they were.
  result.adminHistoryAdded = await seedDemoAdminHistory(services);
  result.restrictedCaseGranted = await seedDemoRestrictedGrant(services, actor);
  if ((await services.rounds.list()).length > 0) return result;
  for (const plan of demoRounds(importId)) {
    const latest = (await services.frameworks.list()).find((f) => f.id === plan.frameworkId)?.latest;
    if (!latest) {
      result.roundsSkipped.push(plan.name);
      continue;
    }
    await services.rounds.create({ ...plan, frameworkVersion: latest.version }, actor);
    result.roundsCreated.push(plan.name);
  }
  const monthly = result.roundsCreated[0];
  if (monthly) {
    result.grading = await seedDemoGrading(services, monthly, actor);
    result.remediation = await seedDemoRemediation(services, actor);
    result.escalation = await seedDemoEscalation(services, db, actor);
  }
  // After the others: its sample leaves out the children they audit.
  if (await seedDemoClosedRound(services, importId, actor)) result.roundsCreated.push(CLOSED_ROUND.name);
  else result.roundsSkipped.push(CLOSED_ROUND.name);
  return result;
}
