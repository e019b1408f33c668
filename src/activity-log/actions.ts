import { longDate } from '../dates';
import type { RecordTypeName } from './record-types';
import type { Summary } from './repository';

/** What a sentence about one audit event is made from. */
export interface WordingContext {
  /** The record in words ("the audit of case DS100265"). */
  record: string;
  summary: Summary;
}

export interface ActionWording {
  /** What happened, in a few words: the action filter's option. */
  label: string;
  /** What the actor did, to follow their name: "saved a draft of the audit of case DS100265". */
  phrase(context: WordingContext): string;
}

/** A value from the summary's `before` or `after` (or top level), as text; undefined when absent. */
function field(summary: Summary, side: 'before' | 'after' | undefined, key: string): string | undefined {
  const holder = side ? summary[side] : summary;
  if (typeof holder !== 'object' || holder === null || !(key in holder)) return undefined;
  const value = (holder as Record<string, unknown>)[key];
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Whether the change's `after` has this field: what changed. */
const hasKey = (summary: Summary, key: string) =>
  typeof summary.after === 'object' && summary.after !== null && key in summary.after;

const possessive = (name: string) => `${name}’s`;
const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

const USER_FIELDS: Record<string, string> = {
  roles: 'roles',
  teamIds: 'teams managed',
  serviceAreaIds: 'service areas led',
};

/** "from North to South", naming what was not set. */
function fromTo(summary: Summary, key: string, none: string): string {
  return `from ${field(summary, 'before', key) ?? none} to ${field(summary, 'after', key) ?? none}`;
}

const viewed = (label: string, what = 'viewed'): ActionWording => ({
  label,
  phrase: ({ record }) => `${what} ${record}`,
});

/**
 * Every action the service records, with its wording. `activityLog.record` takes only these actions (and
 * `activityLog.recordView` only the record types whose view is here), so nothing can be recorded that the audit
 * log page cannot put into words. Add the wording here when adding an action.
 */
export const AUDIT_ACTIONS = {
  'user.sign_in': { label: 'Signed in', phrase: () => 'signed in' },
  'user.sign_out': { label: 'Signed out', phrase: () => 'signed out' },
  'user.sign_in_refused': {
    label: 'Sign-in refused',
    phrase: ({ summary }) =>
      `was refused sign-in: ${field(summary, undefined, 'reason') ?? 'no reason given'}`,
  },
  'user.sign_out_refused': {
    label: 'Single sign-out refused',
    phrase: ({ summary }) =>
      `brought a sign-out from the identity provider that was refused: ${field(summary, undefined, 'reason') ?? 'no reason given'}`,
  },
  'user.create': { label: 'User added', phrase: ({ record }) => `added the user ${record}` },
  'user.update': {
    label: 'User’s roles or responsibilities changed',
    phrase: ({ record, summary }) => {
      const changed = Object.keys(USER_FIELDS).filter((key) => hasKey(summary, key));
      const what = changed.map((key) => USER_FIELDS[key] as string);
      return `changed ${possessive(record)} ${list(what) || 'roles'}`;
    },
  },
  'user.deactivate': { label: 'User deactivated', phrase: ({ record }) => `deactivated ${record}` },
  'user.reactivate': { label: 'User reactivated', phrase: ({ record }) => `reactivated ${record}` },
  'user.sign_out_everywhere': {
    label: 'User signed out everywhere',
    phrase: ({ record }) => `signed ${record} out everywhere`,
  },
  'api_token.create': { label: 'API token created', phrase: ({ record }) => `created ${record}` },
  'api_token.revoke': { label: 'API token revoked', phrase: ({ record }) => `revoked ${record}` },

  'team.create': { label: 'Team added', phrase: ({ record }) => `added ${record}` },
  'team.rename': {
    label: 'Team renamed',
    phrase: ({ record, summary }) =>
      `renamed the team ${field(summary, 'before', 'name') ?? record} to ${field(summary, 'after', 'name') ?? 'a new name'}`,
  },
  'team.change_kind': {
    label: 'Team’s kind of work changed',
    phrase: ({ record }) => `changed the kind of work of ${record}`,
  },
  'team.move': {
    label: 'Team moved',
    phrase: ({ record, summary }) => {
      const moves = [
        hasKey(summary, 'localityId') ? fromTo(summary, 'locality', 'no locality') : undefined,
        hasKey(summary, 'serviceAreaId')
          ? `${fromTo(summary, 'serviceArea', 'no service area')} (service area)`
          : undefined,
      ].filter((move): move is string => move !== undefined);
      const name = field(summary, undefined, 'name');
      return `moved ${name ? `the team ${name}` : record} ${list(moves)}`;
    },
  },
  'team.close': { label: 'Team closed', phrase: ({ record }) => `closed ${record}` },
  'team.reopen': { label: 'Team reopened', phrase: ({ record }) => `reopened ${record}` },
  'person.create': { label: 'Member of staff added', phrase: ({ record }) => `added ${record} to the staff` },
  'person.update': {
    label: 'Member of staff’s details changed',
    phrase: ({ record }) => `changed ${possessive(record)} details`,
  },
  'person.move': {
    label: 'Member of staff moved to another team',
    phrase: ({ record, summary }) =>
      `moved ${field(summary, undefined, 'name') ?? record} ${fromTo(summary, 'team', 'no team')}`,
  },
  'person.change_line_manager': {
    label: 'Line manager changed',
    phrase: ({ record, summary }) => {
      const name = field(summary, undefined, 'name') ?? record;
      const manager = field(summary, 'after', 'lineManager');
      return manager
        ? `made ${manager} ${possessive(name)} line manager`
        : `removed ${possessive(name)} line manager`;
    },
  },
  'demo.seed': { label: 'Demo organisation loaded', phrase: () => 'loaded the demo organisation' },
  'demo.history': {
    label: 'Demo history made',
    phrase: () => 'made the demo’s twelve months of audit history',
  },
  'report_pack.create': {
    label: 'Board pack made',
    phrase: ({ record, summary }) => {
      const version = field(summary, 'after', 'version');
      return `made ${record}${version ? ` (version ${version})` : ''}`;
    },
  },
  'report_pack.download': { label: 'Board pack downloaded', phrase: ({ record }) => `downloaded ${record}` },
  'export.download': {
    label: 'Audit results downloaded',
    phrase: ({ record, summary }) => {
      const rows = field(summary, undefined, 'rows');
      const from = field(summary, undefined, 'from');
      const to = field(summary, undefined, 'to');
      const details = [
        field(summary, undefined, 'format')?.toUpperCase(),
        rows === undefined ? undefined : `${rows} ${rows === '1' ? 'audit' : 'audits'}`,
        from && to ? `submitted ${longDate(from)} to ${longDate(to)}` : undefined,
      ].filter((detail) => detail !== undefined);
      return `downloaded ${record}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
    },
  },
  'subject_access.export': {
    label: 'Subject access export downloaded',
    phrase: ({ record, summary }) => {
      const caseIds = summary.caseIds;
      const imports = Array.isArray(caseIds) ? caseIds.length : 0;
      return `downloaded everything held about ${record}${imports > 0 ? ` (case records from ${imports} ${imports === 1 ? 'import' : 'imports'})` : ''}`;
    },
  },
  'report_target.change': {
    label: 'Report target changed',
    phrase: ({ record, summary }) => {
      const target = field(summary, 'after', 'targetPercent');
      return target ? `set ${record} to ${target}%` : `removed ${record}`;
    },
  },
  'restricted_case.grant': {
    label: 'Restricted case granted',
    phrase: ({ record, summary }) => {
      const name = field(summary, 'after', 'name');
      const reason = field(summary, 'after', 'reason');
      return `granted ${name ?? 'a user'} access to ${record}${reason ? ` (${reason})` : ''}`;
    },
  },
  'restricted_case.revoke': {
    label: 'Restricted case access removed',
    phrase: ({ record }) => `took away a user’s access to ${record}`,
  },
  'council_closure_day.create': {
    label: 'Council closure day added',
    phrase: ({ record, summary }) => {
      const reason = field(summary, 'after', 'reason');
      return `added ${record}${reason ? ` (${reason})` : ''}`;
    },
  },
  'council_closure_day.remove': {
    label: 'Council closure day removed',
    phrase: ({ record }) => `removed ${record}: it is a working day again`,
  },
  'retention_class.change': { label: 'Retention class changed', phrase: ({ record }) => `changed ${record}` },
  'retention.dry_run': {
    label: 'Retention dry run',
    phrase: ({ summary }) => {
      const due = field(summary, 'after', 'due');
      return `ran the retention dry run: ${due ?? 'no'} ${due === '1' ? 'child was' : 'children were'} due, and nothing was changed`;
    },
  },
  'retention.erase': {
    label: 'Records pseudonymised under the retention policy',
    phrase: ({ record, summary }) => {
      const cases = field(summary, 'after', 'cases');
      const audits = field(summary, 'after', 'audits');
      const counts = cases && audits ? ` (${cases} case records, ${audits} audits)` : '';
      return `pseudonymised ${record} under the retention policy${counts}`;
    },
  },

  'framework.load': { label: 'Framework loaded', phrase: ({ record }) => `loaded ${record}` },
  'case_import.create': { label: 'Case list imported', phrase: ({ record }) => `imported ${record}` },
  'case_import_mapping.save': {
    label: 'Case list column mapping saved',
    phrase: ({ record }) => `saved ${record}`,
  },
  'case_import.refuse': {
    label: 'Case list refused',
    phrase: ({ record }) => `tried to import ${record}, which was refused`,
  },
  'audit_round.create': { label: 'Audit round created', phrase: ({ record }) => `created ${record}` },
  'audit_round.moderation_policy': {
    label: 'Moderation policy changed',
    phrase: ({ record }) => `changed the moderation policy of ${record}`,
  },
  'audit_round.close': {
    label: 'Audit round closed',
    phrase: ({ record, summary }) => {
      const cancelled = Number(field(summary, 'after', 'cancelled') ?? 0);
      const carried = Number(field(summary, 'after', 'carriedOver') ?? 0);
      const audits = (n: number) => `${n} audit${n === 1 ? '' : 's'} not yet submitted`;
      if (cancelled > 0) return `closed ${record}, cancelling ${audits(cancelled)}`;
      if (carried > 0)
        return `closed ${record}, carrying ${audits(carried)} over to “${field(summary, 'after', 'toRound') ?? 'another round'}”`;
      return `closed ${record}`;
    },
  },
  'audit.cancel': {
    label: 'Audit cancelled',
    phrase: ({ record }) => `cancelled ${record} when its round closed`,
  },
  'audit.carry_over': {
    label: 'Audit carried over to another round',
    phrase: ({ record }) => `carried ${record} over to another round when its round closed`,
  },
  'audit.reallocate': { label: 'Audit reallocated', phrase: ({ record }) => `reallocated ${record}` },
  'audit.save_draft': { label: 'Audit draft saved', phrase: ({ record }) => `saved a draft of ${record}` },
  'audit.submit': { label: 'Audit submitted', phrase: ({ record }) => `submitted ${record}` },
  'audit.reopen': { label: 'Audit reopened', phrase: ({ record }) => `reopened ${record}` },
  'audit.safeguarding_concern': {
    label: 'Safeguarding concern raised',
    phrase: ({ record }) => `raised an immediate safeguarding concern on ${record}`,
  },
  'moderation.grade': {
    label: 'Moderator’s own grades recorded',
    phrase: ({ record }) => `recorded their own grades in the moderation of ${record}`,
  },
  'moderation.complete': {
    label: 'Moderation completed',
    phrase: ({ record }) => `completed the moderation of ${record}`,
  },
  'calibration.create': { label: 'Calibration exercise set up', phrase: ({ record }) => `set up ${record}` },
  'escalation.acknowledge': {
    label: 'Escalation acknowledged',
    phrase: ({ record }) => `acknowledged ${record}`,
  },
  'escalation.route': {
    label: 'Escalation sent to someone',
    phrase: ({ record }) => `chose who receives ${record}`,
  },
  'remediation.open': {
    label: 'Remediation record opened',
    phrase: ({ record }) => `opened ${record} from the audit’s grades`,
  },
  'remediation.regrade': {
    label: 'Remediation findings changed',
    phrase: ({ record }) => `changed the findings of ${record} after the grades changed`,
  },
  'remediation.withdraw': {
    label: 'Remediation record withdrawn',
    phrase: ({ record }) => `withdrew ${record}: the grades no longer call for it`,
  },
  'remediation.respond': {
    label: 'Management response given',
    phrase: ({ record }) => `gave the management response on ${record}`,
  },
  'remediation.escalate': {
    label: 'Remediation escalated',
    phrase: ({ record, summary }) =>
      `escalated ${record}, overdue, to the ${field(summary, 'after', 'step') === 'director' ? 'director' : 'head of service'}`,
  },
  'remediation.close': {
    label: 'Remediation record closed',
    phrase: ({ record }) => `closed ${record}: every action verified`,
  },
  'remediation.reaudit': {
    label: 'Re-audit scheduled',
    phrase: ({ record, summary }) => {
      const due = field(summary, 'after', 'dueOn');
      const when = due ? `, due ${longDate(due)}` : '';
      return field(summary, 'after', 'auditorUserId') === undefined
        ? `scheduled a re-audit for ${record}${when}, not allocated: no active auditor was free of a conflict of interest with the case`
        : `scheduled a re-audit for ${record}${when}`;
    },
  },
  'remediation_action.create': { label: 'Action set', phrase: ({ record }) => `set ${record}` },
  'remediation_action.start': { label: 'Action started', phrase: ({ record }) => `started ${record}` },
  'remediation_action.complete': {
    label: 'Action completed',
    phrase: ({ record }) => `marked ${record} completed`,
  },
  'remediation_action.reopen': {
    label: 'Action reopened',
    phrase: ({ record }) => `sent ${record} back to open`,
  },
  'remediation_action.verify': { label: 'Action verified', phrase: ({ record }) => `verified ${record}` },
  'notification.send': {
    label: 'Notification sent',
    phrase: ({ record, summary }) =>
      `${field(summary, 'after', 'transport') === 'outbox' ? 'kept in the outbox an email' : 'emailed'} to ${field(summary, 'after', 'to') ?? 'a user'} about ${record}${field(summary, 'after', 'via') === 'digest' ? ', in their daily digest' : ''}`,
  },
  'notification_preference.change': {
    label: 'Notification settings changed',
    phrase: ({ record, summary }) =>
      `chose ${field(summary, 'after', 'dailyDigest') === 'true' ? 'a daily digest' : 'an email for each notification'} for ${record}`,
  },

  'audit.view': viewed('Audit viewed'),
  'audit_round.view': viewed('Audit round viewed'),
  'audit_list.view': viewed('Allocated audits viewed'),
  'audit_round_preview.view': viewed('Audit round previewed', 'looked at'),
  'case_list.view': viewed('Cases viewed'),
  'case_import_rejection.view': viewed('Rejected rows viewed'),
  'calibration_exercise.view': viewed('Calibration exercise viewed'),
  'escalation.view': viewed('Escalation viewed'),
  'escalation_list.view': viewed('Escalations viewed'),
  'remediation.view': viewed('Remediation record viewed'),
  'remediation_list.view': viewed('Remediation records viewed'),
  'restricted_case.view': viewed('Restricted case viewed'),
  'subject_access.view': viewed('Subject access summary viewed', 'looked up'),
} as const satisfies Record<string, ActionWording>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** The record types whose views are recorded: `<type>.view` is an action above. */
export type ViewedRecordType = {
  [A in AuditAction]: A extends `${infer T}.view` ? (T extends RecordTypeName ? T : never) : never;
}[AuditAction];

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}

/** The wording of an action; one the registry lacks (an old row) is named as it is stored. */
export function wordingOf(action: string): ActionWording {
  if (isAuditAction(action)) return AUDIT_ACTIONS[action];
  return { label: action, phrase: ({ record }) => `did “${action}” to ${record}` };
}
