import type { ActivityResult } from './activity';
import type { HistoryResult } from './history';
import type { SeedResult } from './seed';

export interface DemoSeedSummary {
  /** What the seeding did, in words: what it added, or that everything was already there. */
  message: string;
  /** The same as fields for the log: counts only, never names. */
  added: Record<string, unknown>;
}

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;

/**
 * What a start-up's demo seeding really did. Seeding is idempotent, so on every start after the first it
 * adds nothing, and says so rather than repeating the totals of the first start as if they were new.
 */
export function describeDemoSeed(
  organisation: SeedResult,
  activity: ActivityResult,
  history?: HistoryResult,
): DemoSeedSummary {
  const { grading, remediation } = activity;
  const parts = [
    organisation.usersCreated > 0 &&
      `${plural(organisation.teams, 'team')}, ${plural(organisation.people, 'member of staff', 'staff')}, ${plural(organisation.usersCreated, 'user')}`,
    activity.importCreated && `a case list of ${plural(activity.casesImported, 'case')}`,
    activity.adminHistoryAdded && 'an administration history',
    activity.restrictedCaseGranted &&
      `restricted case ${activity.restrictedCaseGranted} granted to its team manager`,
    activity.roundsCreated.length > 0 && plural(activity.roundsCreated.length, 'audit round'),
    grading &&
      `${plural(grading.submitted, 'audit')} submitted, ${grading.drafts} in progress, ${grading.moderated} moderated`,
    remediation &&
      `${plural(remediation.records, 'remediation record')} (${plural(remediation.actions, 'action')}, ${remediation.closed} closed)`,
    history &&
      `${plural(history.months, 'month')} of history (${plural(history.submitted, 'audit')}, ${history.recordsClosed} remediation records closed, ${plural(history.reaudits, 're-audit')}${history.pack ? ', last month’s board pack' : ''})`,
  ].filter((part): part is string => typeof part === 'string');
  const skipped =
    activity.roundsSkipped.length > 0
      ? `; rounds not created (their framework is not loaded): ${activity.roundsSkipped.join('; ')}`
      : '';
  if (parts.length === 0)
    return {
      message: `demo data already present, nothing added (${plural(activity.casesInList, 'case')} in the demo case list)${skipped}`,
      added: { usersCreated: 0, casesImported: 0, roundsCreated: [] },
    };
  return {
    message: `demo data added: ${parts.join('; ')}${skipped}`,
    added: {
      usersCreated: organisation.usersCreated,
      casesImported: activity.casesImported,
      adminHistoryAdded: activity.adminHistoryAdded,
      roundsCreated: activity.roundsCreated,
      roundsSkipped: activity.roundsSkipped,
      ...(grading ? { grading } : {}),
      ...(remediation ? { remediation } : {}),
      ...(history ? { history } : {}),
    },
  };
}
