import { londonDate } from '../dates';
import type { Reaudit } from './reaudit';
import type { RemediationAction, RemediationRecord } from './repository';

/** What of a record is overdue today, part by part: the repository's overdue rule, for one record. */
export function overdueParts(
  record: RemediationRecord,
  actions: readonly RemediationAction[],
  today = londonDate(),
) {
  const response =
    record.status === 'open' &&
    record.responseRequired &&
    record.response === null &&
    record.responseDue < today;
  const overdueActions = actions.filter(
    (a) =>
      record.status === 'open' && (a.status === 'open' || a.status === 'in_progress') && a.dueDate < today,
  );
  const nothingSet = record.status === 'open' && actions.length === 0 && record.completionDue < today;
  return { response, actions: overdueActions.map((a) => a.id), nothingSet };
}

/** A re-audit as the API gives it: when it is due, who does it, and the grades before and after. */
function reauditJson(reaudit: Reaudit) {
  const { auditId, dueOn, auditorName, status, before, after } = reaudit;
  return { auditId, dueOn, auditorName, status, before, after };
}

/**
 * A record as the API gives it: case-level data, for those who may see it; with its re-audit (null while
 * none is scheduled) when the whole record is asked for.
 */
export function recordJson(record: RemediationRecord, detail?: { reaudit: Reaudit | undefined }) {
  const { workerPersonId: _worker, managerPersonId: _manager, ...shown } = record;
  if (!detail) return shown;
  return { ...shown, reaudit: detail.reaudit ? reauditJson(detail.reaudit) : null };
}
