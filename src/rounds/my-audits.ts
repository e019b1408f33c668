import type { AuditRow } from './repository';

type Listed = Pick<AuditRow, 'id' | 'status' | 'dueDate'>;

export interface MyAuditSections<T extends Listed> {
  /** Still to do: overdue first, then soonest due (then oldest first). */
  toDo: T[];
  /** Submitted, in open rounds and calibrations: soonest due first. */
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
