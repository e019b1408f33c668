import { longDate } from '../dates';

/**
 * What each notification says. Emails leave the service, so they carry no case content: no case reference,
 * no child, no finding; a team, a grade, a date, and a link to sign in and read the rest.
 */
export interface Message {
  subject: string;
  body: string;
}

export type NotificationKind =
  | 'remediation.opened'
  | 'remediation.escalated'
  | 'remediation.verify'
  | 'remediation.reaudit'
  | 'report.pack'
  | 'safeguarding.concern'
  | 'digest';

/** What a feature asks to be sent: the words, the page to open, and the record it is about. */
export interface Notice {
  kind: Exclude<NotificationKind, 'digest'>;
  recipientUserIds: readonly number[];
  message: Message;
  /** A path of the service (`/remediations/12`): the email gives it as a full link. */
  path: string;
  record: { type: string; id: number };
  /** Sent at once even to those who chose a daily digest (safeguarding concerns). */
  urgent?: boolean;
}

const lines = (...parts: (string | false | null | undefined)[]) =>
  parts.filter((p) => typeof p === 'string').join('\n');

export function remediationOpened(facts: {
  teamName: string;
  findings: readonly string[];
  responseDue: string | null;
  completionDue: string;
}): Message {
  return {
    subject: `Remediation needed: a case audit in ${facts.teamName}`,
    body: lines(
      `A case audit in ${facts.teamName} found practice that must be acted on, and a remediation record has been opened for the team's managers.`,
      '',
      ...facts.findings.map((f) => `- ${f}`),
      '',
      facts.responseDue && `Management response due: ${longDate(facts.responseDue)}`,
      `Actions to be completed by: ${longDate(facts.completionDue)}`,
    ),
  };
}

export function remediationEscalated(facts: {
  teamName: string;
  step: 'head_of_service' | 'director';
  overdue: { response: boolean; actions: number; nothingSet: boolean };
}): Message {
  const what = [
    facts.overdue.response && 'the management response',
    facts.overdue.actions > 0 &&
      (facts.overdue.actions === 1 ? '1 action' : `${facts.overdue.actions} actions`),
    facts.overdue.nothingSet && 'no actions have been set',
  ].filter((p): p is string => typeof p === 'string');
  return {
    subject: `Overdue remediation escalated to you: ${facts.teamName}`,
    body: lines(
      `A remediation record in ${facts.teamName} is overdue and has been escalated to you as ${facts.step === 'director' ? 'a director' : 'head of service'}.`,
      '',
      `Overdue: ${what.join('; ')}.`,
    ),
  };
}

export function verificationRequested(facts: { teamName: string }): Message {
  return {
    subject: `Actions to verify: a case you audited in ${facts.teamName}`,
    body: lines(
      `An action on a case you audited in ${facts.teamName} has been completed.`,
      'Check what was done and verify it, or send it back to open with a reason.',
    ),
  };
}

export function reauditAllocated(facts: { teamName: string; dueOn: string }): Message {
  return {
    subject: `Re-audit allocated to you: a case in ${facts.teamName}`,
    body: lines(
      `Every action on a case in ${facts.teamName} has been verified and its remediation record closed. The case is to be audited again, to see what difference the actions made.`,
      '',
      `The re-audit is in your My audits, due ${longDate(facts.dueOn)}.`,
    ),
  };
}

export function safeguardingConcern(facts: {
  teamName: string;
  role: 'team_manager' | 'head_of_service';
}): Message {
  return {
    subject: `Safeguarding concern raised: a case in ${facts.teamName}`,
    body: lines(
      `An auditor has raised an immediate safeguarding concern about a case in ${facts.teamName}. It has been sent to you as ${facts.role === 'team_manager' ? 'its team manager' : 'head of service'}.`,
      'Read it and acknowledge it now.',
    ),
  };
}

export function digest(items: readonly { subject: string; link: string; createdAt: Date }[]): Message {
  return {
    subject: `Case Audit: ${items.length === 1 ? '1 notification' : `${items.length} notifications`} since your last digest`,
    body: lines(
      'Your daily digest from Case Audit.',
      '',
      ...items.flatMap((item) => [`- ${item.subject}`, `  ${item.link}`]),
    ),
  };
}

/** The body as sent: the message, its link, and why the recipient gets it. */
export function withLink(body: string, link: string, settingsLink: string, isDigest = false): string {
  return lines(
    body,
    '',
    `Open it in Case Audit: ${link}`,
    '',
    '--',
    'You receive this because of your role in Case Audit.',
    `${isDigest ? 'Choose an email for each notification instead' : 'Choose one email a day instead'}: ${settingsLink}`,
  );
}
