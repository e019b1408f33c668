import { londonDate } from '../dates';
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

/** A record as the API gives it: case-level data, for those who may see it. */
export function recordJson(record: RemediationRecord) {
  const { workerPersonId: _worker, managerPersonId: _manager, ...shown } = record;
  return shown;
}
