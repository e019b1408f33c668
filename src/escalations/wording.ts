import type { Escalation, RecipientRole } from './types';

/** The team and service area an escalation is about. */
export interface Place {
  teamName: string;
  serviceAreaName: string | null;
  /** A restricted case reaches only those granted it. */
  restricted?: boolean;
}

/** What the recipient is for the case: "team manager of Assessment East". */
export function roleFor(role: RecipientRole, place: Place): string {
  if (role === 'team_manager') return `team manager of ${place.teamName}`;
  return place.serviceAreaName ? `head of service for ${place.serviceAreaName}` : 'head of service';
}

/** Why an escalation reached nobody: "Nobody is team manager of Assessment East". */
export function nobodySentence(role: RecipientRole, place: Place): string {
  if (role === 'head_of_service' && !place.serviceAreaName)
    return `${place.teamName} is in no service area, so it has no head of service`;
  if (place.restricted) return `Nobody who is ${roleFor(role, place)} has been granted this restricted case`;
  return `Nobody is ${roleFor(role, place)}`;
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * What the person who raised a concern is told: who received it, by name and role, and plainly which role
 * nobody holds, so that a concern reaching nobody is never mistaken for one that reached someone.
 */
export function outcomeMessage(
  place: Place,
  recipients: readonly { role: RecipientRole; name: string }[],
  unrouted: readonly RecipientRole[],
): string {
  const sent =
    recipients.length > 0
      ? `Safeguarding concern recorded and sent to ${listOf(recipients.map((r) => `${r.name} (${roleFor(r.role, place)})`))}.`
      : 'Safeguarding concern recorded, but it has not reached anyone yet.';
  if (unrouted.length === 0) return `${sent} Now speak to the team manager directly as well.`;
  // "Nobody is team manager of X and nobody is head of service for Y".
  const reasons = unrouted.map((role, i) => {
    const reason = nobodySentence(role, place);
    return i > 0 && reason.startsWith('Nobody') ? `n${reason.slice(1)}` : reason;
  });
  return `${sent} ${listOf(reasons)}: the concern has been put on the administrators’ Needs attention list until they choose who receives it. Speak to a manager of the team directly now.`;
}

/** The status of an escalation in a few words, for lists. */
export function statusText(escalation: Pick<Escalation, 'recipient' | 'acknowledged'>): string {
  if (!escalation.recipient) return 'Reached nobody';
  if (escalation.acknowledged) return 'Seen';
  if (!escalation.recipient.active) return 'Recipient has left';
  return 'Not yet seen';
}
