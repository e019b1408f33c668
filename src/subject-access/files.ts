import { strToU8, zipSync } from 'fflate';
import type { AuditEvent } from '../activity-log/repository';
import { readableEvents } from '../activity-log/readable';
import type { RecordLabel } from '../activity-log/record-label-repository';
import { dateAndTime, londonDate, longDate } from '../dates';
import type { HeldRow } from './repository';
import { countsOf, KINDS, type KindKey, type SubjectAccessExport } from './service';

/**
 * A subject access export as files: a JSON file per kind of record (every column as stored), a manifest
 * saying what each holds, and a summary page to read, zipped. Pure: the export in, the files out.
 */

/** The layout of the export's files, in the manifest; raise it when a file or its shape changes. */
export const EXPORT_SCHEMA = 1;

export const SUMMARY_FILE = 'summary.html';
export const MANIFEST_FILE = 'manifest.json';

type Format = 'text' | 'date' | 'time' | 'yesno';
type Column = readonly [heading: string, key: string, format?: Format];

/** What the summary page shows of each kind: a few columns to read; the JSON files hold everything. */
const COLUMNS: Record<KindKey, readonly Column[]> = {
  caseRecords: [
    ['Case list', 'import_name'],
    ['Imported', 'imported_at', 'time'],
    ['Team', 'team_name'],
    ['Worker', 'worker_name'],
    ['Case type', 'case_type'],
    ['Legal status', 'legal_status'],
    ['Closed', 'closed', 'yesno'],
  ],
  audits: [
    ['Audit', 'id'],
    ['Round', 'round_name'],
    ['Calibration exercise', 'calibration_id'],
    ['Framework', 'framework_id'],
    ['Version', 'framework_version'],
    ['Auditor', 'auditor_name'],
    ['Status', 'status'],
    ['Due', 'due_date', 'date'],
  ],
  auditRevisions: [
    ['Audit', 'audit_id'],
    ['Revision', 'revision'],
    ['Status', 'status'],
    ['Overall grade', 'overall_grade'],
    ['Last saved', 'updated_at', 'time'],
    ['Submitted', 'submitted_at', 'time'],
    ['Reopened because', 'reopen_reason'],
  ],
  moderations: [
    ['Audit', 'audit_id'],
    ['Moderator', 'moderator_name'],
    ['Status', 'status'],
    ['Blind', 'blind', 'yesno'],
    ['Completed', 'completed_at', 'time'],
    ['Summary', 'summary'],
  ],
  safeguardingConcerns: [
    ['Audit', 'audit_id'],
    ['Raised by', 'raised_by_name'],
    ['Raised', 'raised_at', 'time'],
    ['Details', 'details'],
  ],
  escalations: [
    ['Concern', 'concern_id'],
    ['Sent to', 'recipient_role'],
    ['Recipient', 'recipient_name'],
    ['Sent', 'notified_at', 'time'],
    ['Acknowledged', 'acknowledged_at', 'time'],
  ],
  remediationRecords: [
    ['Record', 'id'],
    ['Audit', 'audit_id'],
    ['Team', 'team_name'],
    ['Status', 'status'],
    ['Response due', 'response_due', 'date'],
    ['Response', 'response'],
    ['Closed', 'closed_at', 'time'],
  ],
  remediationActions: [
    ['Record', 'record_id'],
    ['Action', 'description'],
    ['Owner', 'owner_name'],
    ['Due', 'due_date', 'date'],
    ['Status', 'status'],
    ['Verified', 'verified_at', 'time'],
  ],
  reaudits: [
    ['Audit', 'id'],
    ['Remediation record', 'remediation_record_id'],
    ['Auditor', 'auditor_name'],
    ['Status', 'status'],
    ['Due', 'due_date', 'date'],
  ],
  calibrationExercises: [
    ['Name', 'name'],
    ['Framework', 'framework_id'],
    ['Version', 'framework_version'],
    ['Status', 'status'],
    ['Due', 'due_date', 'date'],
  ],
  auditEvents: [
    ['When', 'occurred_at', 'time'],
    ['What happened', 'sentence'],
  ],
};

function cell(value: unknown, format: Format = 'text'): string {
  if (value === null || value === undefined || value === '') return '';
  if (format === 'date') return longDate(value);
  if (format === 'time') return dateAndTime(value);
  if (format === 'yesno') return value === true ? 'Yes' : 'No';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

/**
 * The audit log's entries in words ("Aisha Khan submitted the audit of case C0000001"), named as the audit
 * log page names them. Every record here is the child's, so each is labelled with the case reference.
 */
function withSentences(exported: SubjectAccessExport): HeldRow[] {
  const { held, caseRef } = exported;
  const labels = new Map<string, RecordLabel>();
  const label = (type: string, rows: readonly HeldRow[], extra: (row: HeldRow) => Partial<RecordLabel>) => {
    for (const row of rows) labels.set(`${type}:${String(row.id)}`, { label: caseRef, ...extra(row) });
  };
  label('audit', held.audits, () => ({}));
  label('audit', held.reaudits, () => ({ ref: 'reaudit' }));
  label('escalation', held.escalations, () => ({}));
  label('remediation', held.remediationRecords, () => ({}));
  label('remediation_action', held.remediationActions, (row) => ({ ref: String(row.record_id) }));
  label('calibration_exercise', held.calibrationExercises, (row) => ({ label: String(row.name) }));
  for (const id of exported.caseIds) labels.set(`subject_access:${id}`, { label: caseRef });
  const events: AuditEvent[] = held.auditEvents.map((row) => ({
    id: Number(row.id),
    occurredAt: new Date(String(row.occurred_at)),
    actorKind: row.actor_kind as AuditEvent['actorKind'],
    actorUserId: row.actor_user_id as number | null,
    actorName: row.actor_name as string | null,
    actorTokenId: row.actor_token_id as number | null,
    action: row.action as string,
    recordType: String(row.record_type),
    recordId: row.record_id as string | null,
    requestId: row.request_id as string | null,
    summary: (row.summary ?? {}) as AuditEvent['summary'],
  }));
  return readableEvents(events, labels).map((event, i) => ({
    ...held.auditEvents[i],
    sentence: event.sentence,
  }));
}

/** What the summary page (templates/pages/admin/subject-access/summary-file.hbs) is rendered from. */
export function summaryView(exported: SubjectAccessExport, exportedBy: string) {
  const counts = countsOf(exported.held);
  const rowsOf = (key: KindKey) => (key === 'auditEvents' ? withSentences(exported) : exported.held[key]);
  return {
    layout: false,
    caseRef: exported.caseRef,
    exportedAt: dateAndTime(exported.exportedAt),
    exportedBy,
    kinds: KINDS.map((kind) => ({
      id: kind.file.replace(/\.json$/, ''),
      title: kind.title,
      file: kind.file,
      holds: kind.holds,
      count: counts[kind.key],
      headings: COLUMNS[kind.key].map(([heading]) => heading),
      rows: rowsOf(kind.key).map((row) => COLUMNS[kind.key].map(([, key, format]) => cell(row[key], format))),
    })),
  };
}

/** The manifest: what the export is, when it was made, and what each file holds. */
function manifest(exported: SubjectAccessExport) {
  const counts = countsOf(exported.held);
  return {
    export: 'subject-access',
    schema: EXPORT_SCHEMA,
    caseReference: exported.caseRef,
    exportedAt: exported.exportedAt.toISOString(),
    about:
      'Everything Case Audit holds about one child, found by case reference across every case list imported. ' +
      'Each JSON file is a list of records, each with every column as stored (dates as YYYY-MM-DD, times in UTC) ' +
      'and the names of the people and teams it refers to.',
    files: [
      ...KINDS.map((kind) => ({
        file: kind.file,
        title: kind.title,
        holds: kind.holds,
        records: counts[kind.key],
      })),
      { file: SUMMARY_FILE, title: 'Summary', holds: 'The same records as a page to read, in any browser.' },
    ],
  };
}

/** The export zipped: the manifest, a JSON file per kind, and the summary page. */
export function zipOf(exported: SubjectAccessExport, summaryHtml: string): Buffer {
  const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);
  const entries: Record<string, Uint8Array> = { [MANIFEST_FILE]: json(manifest(exported)) };
  for (const kind of KINDS) entries[kind.file] = json(exported.held[kind.key]);
  entries[SUMMARY_FILE] = strToU8(summaryHtml);
  return Buffer.from(zipSync(entries, { level: 6, mtime: exported.exportedAt }));
}

/** The file's name: the case reference with anything but letters, digits, - and _ made _, and the day. */
export const zipName = (exported: SubjectAccessExport) =>
  `subject-access-${exported.caseRef.replace(/[^A-Za-z0-9_-]/g, '_')}-${londonDate()}.zip`;
