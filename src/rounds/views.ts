import { londonDate } from '../dates';
import { CASE_TYPE_LABELS } from '../cases/labels';
import type { User } from '../users/user';
import type { Progress } from './progress';
import type { AuditProgress, RoundProgressService } from './progress-service';
import type { AuditRow, RoundSummary } from './repository';

const STATUS: Record<AuditRow['status'], { label: string; colour: string }> = {
  unallocated: { label: 'Not allocated', colour: 'orange' },
  allocated: { label: 'Not started', colour: 'grey' },
  in_progress: { label: 'In progress', colour: 'light-blue' },
  submitted: { label: 'Submitted', colour: 'green' },
  cancelled: { label: 'Cancelled', colour: 'pink' },
};

/** An audit's status as a tag, and whether it is overdue (only work still to do can be). */
export function statusView(audit: Pick<AuditRow, 'status' | 'dueDate'>) {
  const toDo = audit.status !== 'submitted' && audit.status !== 'cancelled';
  return {
    statusLabel: STATUS[audit.status].label,
    statusColour: STATUS[audit.status].colour,
    overdue: toDo && audit.dueDate < londonDate(),
  };
}

/** "3 of 8 submitted". */
const done = (p: Pick<Progress, 'submitted' | 'total' | 'cancelled'>) =>
  `${p.submitted} of ${p.total - p.cancelled} submitted`;

export function roundListView(round: RoundSummary & { progress: Progress & { carriedOver: number } }) {
  const { progress } = round;
  return {
    ...round,
    open: round.status === 'open',
    done: done(progress),
    toDo: progress.unallocated + progress.allocated + progress.inProgress,
  };
}

const OUTCOME_WORDS = {
  none: 'Every audit had been submitted.',
  cancelled: 'The audits not yet submitted were cancelled.',
  carried_over: 'The audits not yet submitted were carried over to another round.',
};

type Page = Awaited<ReturnType<RoundProgressService['page']>>;

/** A row of a progress table: the counts in the order of the table's columns. */
const progressRow = (name: string, p: Progress) => ({
  name,
  cells: [p.total, p.unallocated, p.allocated, p.inProgress, p.submitted, p.moderated, p.cancelled],
});

/** Who may open an audit from the round page: admins any; managers the submitted ones of their teams. */
function linkable(audit: AuditProgress, user: User): boolean {
  return user.roles.includes('admin') || audit.status === 'submitted';
}

export function roundPageView(page: Page, user: User) {
  const { round, totals, grades } = page;
  const open = round.status === 'open';
  const admin = user.roles.includes('admin');
  return {
    round,
    open,
    mayClose: admin && open,
    scoped: page.scoped,
    closedOutcome: round.unsubmittedOutcome ? OUTCOME_WORDS[round.unsubmittedOutcome] : undefined,
    summary: `${done(totals)}${totals.moderated ? `, ${totals.moderated} moderated` : ''}.`,
    totalsRow: progressRow('All audits', totals),
    byTeam: page.byTeam.map((g) => progressRow(g.name, g.progress)),
    byAuditor: page.byAuditor.map((g) => progressRow(g.name, g.progress)),
    grades,
    audits: page.audits.map((audit) => ({
      ...audit,
      caseTypeLabel: CASE_TYPE_LABELS[audit.caseType] ?? audit.caseType,
      ...statusView(audit),
      withheld: audit.grade === 'withheld',
      link: linkable(audit, user),
      mayReallocate: admin && open && audit.status !== 'submitted' && audit.status !== 'cancelled',
    })),
    carriedOver: page.carriedOver.map((audit) => ({
      ...audit,
      ...statusView(audit),
      link: admin || audit.status === 'submitted',
    })),
  };
}
