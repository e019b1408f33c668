import { mayUse } from '../auth/access';
import { auditAccess } from '../audits/access';
import { longDate } from '../dates';
import { gradeLabel } from '../frameworks/labels';
import { gradeRank } from '../frameworks/overall-grade';
import type { Framework } from '../frameworks/types';
import { statusView } from '../rounds/views';
import type { User } from '../users/user';
import type { Reaudit } from './reaudit';
import { scaleOf, type GivenGrade } from './triggers';

/** How a grade moved from the audit remediated to the re-audit: better, worse or the same. */
function change(framework: Framework, sectionId: string, before?: string, after?: string): string {
  const scale = scaleOf(framework, sectionId);
  const from = before === undefined ? undefined : gradeRank(framework, scale, before);
  const to = after === undefined ? undefined : gradeRank(framework, scale, after);
  if (from === undefined || to === undefined) return '';
  return to < from ? 'Better' : to > from ? 'Worse' : 'No change';
}

/** The overall grade and each section's, before and after, overall first. */
function rows(framework: Framework, before: GivenGrade[], after: GivenGrade[]) {
  const ids = [...new Set([...before, ...after].map((g) => g.sectionId))];
  const order = ['overall', ...framework.sections.map((s) => s.id)];
  ids.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const label = (id: string, grade?: string) =>
    grade === undefined ? 'Not graded' : gradeLabel(framework, scaleOf(framework, id), grade);
  return ids.map((id) => {
    const was = before.find((g) => g.sectionId === id)?.grade;
    const now = after.find((g) => g.sectionId === id)?.grade;
    return {
      title: id === 'overall' ? 'Overall' : (framework.sections.find((s) => s.id === id)?.title ?? id),
      before: label(id, was),
      after: label(id, now),
      change: change(framework, id, was, now),
    };
  });
}

/** A record's re-audit as its page shows it: when, by whom, how far along, and the grades before and after. */
export function reauditView(framework: Framework, reaudit: Reaudit | undefined, user: User) {
  if (!reaudit) return undefined;
  const access = auditAccess(user, reaudit);
  const toDo = reaudit.status !== 'submitted' && reaudit.status !== 'cancelled';
  return {
    auditId: reaudit.auditId,
    due: longDate(reaudit.dueOn),
    auditorName: reaudit.auditorName,
    /** Nobody was free of a conflict of interest when it was scheduled, and nobody has allocated it since. */
    nobodyFree: reaudit.auditorUserId === null && !reaudit.reallocated,
    ...statusView({ status: reaudit.status, dueDate: reaudit.dueOn }),
    link: access.readDraft || (access.readSubmitted && reaudit.status === 'submitted'),
    mayAllocate: toDo && mayUse(user.roles, 'rounds'),
    withheld: reaudit.withheld,
    rows: reaudit.after ? rows(framework, reaudit.before, reaudit.after) : [],
  };
}
