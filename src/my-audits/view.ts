import { CASE_TYPE_LABELS } from '../cases/labels';
import { statusView } from '../rounds/views';
import type { AllocatedAudit, MyAuditSections } from './sections';

/** An audit as My audits' tables show it: its case type in words, its status as a tag, and if overdue. */
function auditView(audit: AllocatedAudit) {
  return {
    ...audit,
    caseTypeLabel: CASE_TYPE_LABELS[audit.caseType] ?? audit.caseType,
    ...statusView(audit),
  };
}

/** The My audits page: the auditor's audits to do, submitted and cancelled. */
export function myAuditsView(mine: MyAuditSections<AllocatedAudit>) {
  return {
    title: 'My audits',
    toDo: mine.toDo.map(auditView),
    submitted: mine.submitted.map(auditView),
    cancelled: mine.cancelled.map(auditView),
  };
}
