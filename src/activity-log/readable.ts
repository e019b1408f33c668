import { wordingOf } from './actions';
import type { RecordLabel } from './record-label-repository';
import { RECORD_TYPES, isRecordType } from './record-types';
import type { AuditEvent } from './repository';

export interface ReadableEvent extends AuditEvent {
  /** "Aisha Khan saved a draft of the audit of case DS100265". */
  sentence: string;
  actionLabel: string;
  record: { typeName: string; text: string; href?: string };
}

function actorText(event: AuditEvent): string {
  const name = event.actorName ?? (event.actorKind === 'system' ? 'The system' : 'Someone');
  return event.actorKind === 'token' ? `${name} (with API token ${event.actorTokenId})` : name;
}

/** Puts events into words: who did what to which record, with the record's page. Pure. */
export function readableEvents(
  events: readonly AuditEvent[],
  labels: ReadonlyMap<string, RecordLabel>,
): ReadableEvent[] {
  return events.map((event) => {
    const id = event.recordId ?? '';
    const found = labels.get(`${event.recordType}:${id}`);
    const type = isRecordType(event.recordType) ? RECORD_TYPES[event.recordType] : undefined;
    const text = type
      ? type.phrase(found?.label, id, found?.ref)
      : `${event.recordType.replace(/_/g, ' ')}${id ? ` ${id}` : ''}`;
    const href = type && 'href' in type && id ? type.href(id, found?.ref) : undefined;
    const wording = wordingOf(event.action);
    return {
      ...event,
      sentence: `${actorText(event)} ${wording.phrase({ record: text, summary: event.summary })}`,
      actionLabel: wording.label,
      record: {
        typeName: type?.name ?? event.recordType,
        text: text.charAt(0).toUpperCase() + text.slice(1),
        ...(href ? { href } : {}),
      },
    };
  });
}
