import { conflictOf, standingOf, type CaseStaffing } from '../conflicts/rule';
import type { User } from '../users/user';

type Auditor = Pick<
  User,
  'id' | 'personId' | 'homeTeamId' | 'managedTeamIds' | 'serviceAreaTeamIds' | 'roles' | 'restrictedCaseRefs'
>;

/**
 * Who re-audits a case, of the active auditors: the auditor of the audit it follows up while they are one
 * and free of conflicts with the case as it stands; else the auditor free of conflicts with the fewest
 * audits still to do (the lowest id on a tie); else nobody (null). The conflict rule is allocation's own.
 */
export function chooseReauditor(
  originalAuditorId: number | null,
  auditors: readonly Auditor[],
  staffing: CaseStaffing,
  openLoads: ReadonlyMap<number, number>,
): number | null {
  const free = auditors.filter((auditor) => !conflictOf(standingOf(auditor), staffing));
  if (free.some((auditor) => auditor.id === originalAuditorId)) return originalAuditorId;
  const load = (auditor: Auditor) => openLoads.get(auditor.id) ?? 0;
  const [chosen] = [...free].sort((a, b) => load(a) - load(b) || a.id - b.id);
  return chosen?.id ?? null;
}
