import type { Executor } from '../db/transaction';
import type { Framework } from '../frameworks/types';
import {
  reauditAllocated,
  remediationEscalated,
  remediationOpened,
  verificationRequested,
  type Notice,
} from '../notifications/messages';
import type { NotificationsService } from '../notifications/service';
import { usersReadModel } from '../users/read-model';
import type { EscalationStepInput } from './escalation-repository';
import { findingText } from './page-views';
import type { RemediationRecord } from './repository';

/** What remediation sends: notifications written in the caller's transaction. */
export type Notify = NotificationsService['notify'];

const about = (record: { id: number }) => ({
  path: `/remediations/${record.id}`,
  record: { type: 'remediation', id: record.id },
});

/** The team's managers, told that a record is theirs to answer. */
export async function openedNotice(
  tx: Executor,
  record: RemediationRecord,
  framework: Framework,
): Promise<Notice> {
  const managers = (await usersReadModel.withRole(tx, 'team_manager')).filter((u) =>
    u.managedTeamIds.includes(record.teamId),
  );
  return {
    kind: 'remediation.opened',
    recipientUserIds: managers.map((u) => u.id),
    message: remediationOpened({
      teamName: record.teamName,
      findings: record.findings.map((f) => findingText(framework, f)),
      responseDue: record.responseRequired ? record.responseDue : null,
      completionDue: record.completionDue,
    }),
    ...about(record),
  };
}

/** The auditor who graded the case, asked to verify what was completed. */
export function verifyNotice(record: RemediationRecord): Notice[] {
  if (record.auditorUserId === null) return [];
  return [
    {
      kind: 'remediation.verify',
      recipientUserIds: [record.auditorUserId],
      message: verificationRequested({ teamName: record.teamName }),
      ...about(record),
    },
  ];
}

/** Each step of escalation, to the people it went to. */
export function escalatedNotices(
  steps: readonly EscalationStepInput[],
  teamNameOf: (recordId: number) => string,
): Notice[] {
  return steps.map((step) => ({
    kind: 'remediation.escalated',
    recipientUserIds: step.recipientUserIds,
    message: remediationEscalated({
      teamName: teamNameOf(step.recordId),
      step: step.step,
      overdue: step.overdue,
    }),
    ...about({ id: step.recordId }),
  }));
}

/** The auditor a closed record's re-audit was allocated to. */
export function reauditNotice(record: RemediationRecord, auditorUserId: number, dueOn: string): Notice {
  return {
    kind: 'remediation.reaudit',
    recipientUserIds: [auditorUserId],
    message: reauditAllocated({ teamName: record.teamName, dueOn }),
    path: '/my-audits',
    record: { type: 'remediation', id: record.id },
  };
}
