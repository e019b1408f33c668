import type { AuditRow } from './repository';

/** How far a set of audits has got. Every audit is in exactly one status; moderated counts submitted ones. */
export interface Progress {
  total: number;
  unallocated: number;
  allocated: number;
  inProgress: number;
  submitted: number;
  /** Submitted audits whose moderation is complete. */
  moderated: number;
  cancelled: number;
}

type Counted = Pick<AuditRow, 'status'> & { moderated: boolean };

const FIELD: Record<AuditRow['status'], Exclude<keyof Progress, 'total' | 'moderated'>> = {
  unallocated: 'unallocated',
  allocated: 'allocated',
  in_progress: 'inProgress',
  submitted: 'submitted',
  cancelled: 'cancelled',
};

export function tally(audits: readonly Counted[]): Progress {
  const progress: Progress = {
    total: 0,
    unallocated: 0,
    allocated: 0,
    inProgress: 0,
    submitted: 0,
    moderated: 0,
    cancelled: 0,
  };
  for (const audit of audits) {
    progress.total += 1;
    progress[FIELD[audit.status]] += 1;
    if (audit.status === 'submitted' && audit.moderated) progress.moderated += 1;
  }
  return progress;
}

/** The audits' progress per group (auditor, team), groups in order of their names. */
export function progressBy<T extends Counted>(
  audits: readonly T[],
  groupOf: (audit: T) => string,
): { name: string; progress: Progress }[] {
  const groups = new Map<string, T[]>();
  for (const audit of audits) {
    const name = groupOf(audit);
    groups.set(name, [...(groups.get(name) ?? []), audit]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en-GB'))
    .map(([name, members]) => ({ name, progress: tally(members) }));
}

/** The grade an audit stands at as a viewer may see it: undefined while none is submitted. */
export type ShownGrade = { code: string; moderated: boolean } | 'withheld' | undefined;

export interface GradeDistribution {
  /** One row per level of the scale, best first, with how many audits stand at it. */
  levels: { code: string; label: string; count: number; moderated: number }[];
  /** Submitted audits whose grade the viewer may not see yet (blind moderation). */
  withheld: number;
  /** Submitted audits whose grade the viewer sees. */
  shown: number;
}

/** How the submitted audits' grades fall on the scale; grades not on it are left out of the levels. */
export function gradeDistribution(
  levels: readonly { code: string; label: string }[],
  grades: readonly ShownGrade[],
): GradeDistribution {
  const rows = levels.map((l) => ({ code: l.code, label: l.label, count: 0, moderated: 0 }));
  let withheld = 0;
  let shown = 0;
  for (const grade of grades) {
    if (grade === undefined) continue;
    if (grade === 'withheld') {
      withheld += 1;
      continue;
    }
    const row = rows.find((r) => r.code === grade.code);
    if (!row) continue;
    shown += 1;
    row.count += 1;
    if (grade.moderated) row.moderated += 1;
  }
  return { levels: rows, withheld, shown };
}
