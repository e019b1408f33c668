import { longDate } from '../dates';

/**
 * The kinds of record the audit log names: how each is called in a sentence and where its page is. The
 * label comes from the record itself when it can be found (src/activity-log/record-label-repository.ts).
 */
export interface RecordType {
  /** For the record filter. */
  name: string;
  /**
   * The record in a sentence, from its label (undefined when it cannot be found), its id, and the second key
   * its label lookup gives (for an audit, `reaudit` when it is one).
   */
  phrase(label: string | undefined, id: string, ref?: string): string;
  /** Its page, if it has one; `ref` is the second key some records need in their address. */
  href?(id: string, ref: string | undefined): string | undefined;
}

const quoted = (label: string | undefined, fallback: string) => (label ? `“${label}”` : fallback);
const caseList = (label: string | undefined, id: string) =>
  label ? `the case list ${label} (import ${id})` : `case import ${id}`;
const importPage = (id: string) => `/cases/imports/${id}`;

export const RECORD_TYPES = {
  audit: {
    name: 'Audit',
    phrase: (label, id, ref) =>
      label ? `the ${ref === 'reaudit' ? 're-audit' : 'audit'} of case ${label}` : `audit ${id}`,
    href: (id) => `/audits/${id}`,
  },
  audit_round: {
    name: 'Audit round',
    phrase: (label, id) => `the audit round ${quoted(label, id)}`,
    href: (id) => `/rounds/${id}`,
  },
  audit_list: {
    name: 'Lists of audits',
    // The id is whose list it was: a user's id, `team:<id>` for a team's submitted audits, or
    // `inadequate-this-month`.
    phrase: (label, id) =>
      id.startsWith('team:')
        ? `the submitted audits of team ${id.slice('team:'.length)}`
        : id === 'inadequate-this-month'
          ? 'the audits graded inadequate this month'
          : `the audits allocated to ${label ?? `user ${id}`}`,
    href: (id) =>
      id.startsWith('team:')
        ? `/teams/${id.slice('team:'.length)}`
        : /^\d+$/.test(id)
          ? `/admin/users/${id}`
          : undefined,
  },
  audit_round_preview: {
    name: 'Audit round preview',
    phrase: (label, id) => `an audit round preview of ${caseList(label, id)}`,
    href: importPage,
  },
  saml_response: {
    name: 'Single sign-on response',
    phrase: () => 'a single sign-on response',
  },
  saml_logout_request: {
    name: 'Single sign-out request',
    phrase: () => 'a single sign-out request',
  },
  app_user: {
    name: 'User',
    phrase: (label, id) => label ?? `user ${id}`,
    href: (id) => `/admin/users/${id}`,
  },
  team: {
    name: 'Team',
    phrase: (label, id) => (label ? `the team ${label}` : `team ${id}`),
    href: (id) => `/admin/teams/${id}`,
  },
  person: {
    name: 'Member of staff',
    phrase: (label, id) => label ?? `member of staff ${id}`,
    href: (id) => `/admin/people/${id}`,
  },
  case_import: { name: 'Case import', phrase: caseList, href: importPage },
  case_import_mapping: {
    name: 'Case list column mapping',
    phrase: (label, id) => `the column mapping ${quoted(label, id)}`,
  },
  case_import_rejection: {
    name: 'Rejected rows of a case import',
    phrase: (label, id) => `the rejected rows of ${caseList(label, id)}`,
    href: importPage,
  },
  case_list: {
    name: 'List of cases',
    // The id is the filter the list was asked for, shown in the detail.
    phrase: () => 'a list of cases',
  },
  calibration_exercise: {
    name: 'Calibration exercise',
    phrase: (label, id) => `the calibration exercise ${quoted(label, id)}`,
    href: (id) => `/calibration/${id}`,
  },
  framework_version: {
    name: 'Framework version',
    phrase: (label, id) => (label ? `the framework ${label}` : `framework version ${id}`),
    href: (_id, ref) => (ref ? `/frameworks/${ref}` : undefined),
  },
  api_token: {
    name: 'API token',
    phrase: (label, id) => `API token ${id}${label ? ` (${label})` : ''}`,
  },
  escalation: {
    name: 'Escalation',
    phrase: (label, id) => (label ? `the escalation of a concern about case ${label}` : `escalation ${id}`),
    href: (id) => `/escalations/${id}`,
  },
  escalation_list: {
    name: 'Escalations',
    // The id is whose list it was, or "needs-attention" for the administrators' list.
    phrase: (label, id) =>
      id === 'needs-attention'
        ? 'the escalations that need attention'
        : `the escalations sent to ${label ?? `user ${id}`}`,
  },
  organisation: { name: 'Organisation', phrase: () => 'the organisation' },
  report_pack: {
    name: 'Board pack',
    phrase: (label, id) => (label ? `the board pack for ${label}` : `board pack ${id}`),
    href: (id) => `/reports/packs/${id}.pdf`,
  },
  export: {
    name: 'Export of audit results',
    // The id is the framework's id; the filters, format and row count are in the summary.
    phrase: (_label, id) => `the audit results of the framework ${id}`,
  },
  subject_access: {
    name: 'Subject access request',
    // The id is the child's newest case record; the export's summary lists every one and the reference's hash.
    phrase: (label, id) => (label ? `case ${label}` : `the case of case record ${id}`),
  },
  report_target: {
    name: 'Report target',
    // The id is the measure's code (src/reporting/measures.ts).
    phrase: (_label, id) => `the target for ${id.replace(/-/g, ' ')}`,
    href: () => '/admin/targets',
  },
  restricted_case: {
    name: 'Restricted case',
    // The id is the case reference: a grant follows the child across imports.
    phrase: (_label, id) => `the restricted case ${id}`,
    href: (id) => `/admin/restricted-cases/${encodeURIComponent(id)}`,
  },
  council_closure_day: {
    name: 'Council closure day',
    // The id is the day itself (YYYY-MM-DD).
    phrase: (_label, id) => `the council closure day ${longDate(id) || id}`,
    href: () => '/admin/closure-days',
  },
  retention_class: {
    name: 'Retention class',
    // The id is the class's code: a case type, or adoption.
    phrase: (_label, id) => `the retention class ${id}`,
    href: (id) => `/admin/retention/classes/${id}`,
  },
  retention: {
    name: 'Retention',
    // The id is a dry run's day, or the pseudonym of a child whose records were pseudonymised.
    phrase: (_label, id) =>
      /^\d{4}-/.test(id) ? `the retention report of ${longDate(id) || id}` : `the records now called ${id}`,
    href: () => '/admin/retention',
  },
  remediation: {
    name: 'Remediation record',
    phrase: (label, id) => (label ? `the remediation record for case ${label}` : `remediation record ${id}`),
    href: (id) => `/remediations/${id}`,
  },
  remediation_action: {
    name: 'Remediation action',
    phrase: (label, id) => (label ? `an action for case ${label}` : `remediation action ${id}`),
    href: (_id, ref) => (ref ? `/remediations/${ref}` : undefined),
  },
  remediation_list: {
    name: 'Remediation lists',
    // The id is whose list it was (a user's id).
    phrase: (label, id) => `the remediation records seen by ${label ?? `user ${id}`}`,
  },
} as const satisfies Record<string, RecordType>;

export type RecordTypeName = keyof typeof RECORD_TYPES;

export function isRecordType(value: string): value is RecordTypeName {
  return Object.hasOwn(RECORD_TYPES, value);
}
