import type { Escalation } from './types';
import { nobodySentence, roleFor, statusText } from './wording';

const EXCERPT = 140;

/** The first words of a concern, for lists: the whole text is on the escalation's own page. */
export function excerpt(details: string): string {
  const flat = details.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT ? flat : `${flat.slice(0, EXCERPT).replace(/\s+\S*$/, '')}…`;
}

const COLOURS: Record<string, string> = {
  'Not yet seen': 'red',
  'Reached nobody': 'red',
  'Recipient has left': 'orange',
  Seen: 'green',
};

/** An escalation as the pages show it. */
export function escalationView(e: Escalation) {
  const status = statusText(e);
  return {
    ...e,
    excerpt: excerpt(e.details),
    roleText: roleFor(e.role, e),
    nobodyText: e.recipient ? undefined : nobodySentence(e.role, e),
    status,
    statusColour: COLOURS[status] ?? 'grey',
  };
}

/** An escalation as the API returns it. */
export function escalationJson(e: Escalation) {
  return {
    id: e.id,
    concernId: e.concernId,
    auditId: e.auditId,
    case: { ref: e.caseRef, team: { id: e.teamId, name: e.teamName }, serviceArea: e.serviceAreaName },
    role: e.role,
    roleDescription: roleFor(e.role, e),
    recipient: e.recipient,
    reachedNobody: e.recipient ? null : nobodySentence(e.role, e),
    raisedAt: e.raisedAt,
    raisedBy: e.raisedByName,
    details: e.details,
    escalatedAt: e.escalatedAt,
    acknowledged: e.acknowledged,
    routed: e.routed,
    status: statusText(e),
  };
}
