import type { Actor } from '../activity-log/actor';
import { londonDate } from '../dates';
import type { RoundsService } from '../rounds/service';

/** An audit allocated to the auditor, as the rounds service lists it. */
export type AllocatedAudit = Awaited<ReturnType<RoundsService['allocatedTo']>>[number];

type Listed = Pick<AllocatedAudit, 'id' | 'status' | 'dueDate'>;

export interface MyAuditSections<T extends Listed> {
  /** Still to do: overdue first, then soonest due (then oldest first). */
  toDo: T[];
  /** Submitted, in open rounds and calibrations, and re-audits lately: soonest due first. */
  submitted: T[];
  /** Cancelled when their round closed, lately: kept so the auditor sees why they went. */
  cancelled: T[];
}

const byDue = (a: Listed, b: Listed) => a.dueDate.localeCompare(b.dueDate) || a.id - b.id;

/** An auditor's audits in the sections My audits shows them in. */
export function myAuditSections<T extends Listed>(audits: readonly T[], today: string): MyAuditSections<T> {
  const overdue = (a: Listed) => (a.dueDate < today ? 0 : 1);
  return {
    toDo: audits
      .filter((a) => a.status !== 'submitted' && a.status !== 'cancelled')
      .sort((a, b) => overdue(a) - overdue(b) || byDue(a, b)),
    submitted: audits.filter((a) => a.status === 'submitted').sort(byDue),
    cancelled: audits.filter((a) => a.status === 'cancelled').sort(byDue),
  };
}

/**
 * The audits allocated to the auditor in open rounds and calibrations, and re-audits, in My audits' sections
 * as of today (the view is logged when there are any). The page, its API and the home page's counts all
 * read this.
 */
export async function myAudits(
  rounds: Pick<RoundsService, 'allocatedTo'>,
  userId: number,
  actor: Actor,
): Promise<MyAuditSections<AllocatedAudit>> {
  return myAuditSections(await rounds.allocatedTo(userId, actor), londonDate());
}
