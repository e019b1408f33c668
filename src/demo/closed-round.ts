import type { Actor } from '../activity-log/actor';
import { agreeingWithCaseList } from '../audits/prefill';
import { londonDate } from '../dates';
import type { Services } from '../services';
import { completeResponse } from './responses';

type DemoServices = Pick<Services, 'rounds' | 'audits' | 'frameworks' | 'users' | 'roundClosing'>;

export const CLOSED_ROUND = {
  name: 'Care leavers pathway dip sample',
  reason:
    'Closed early: the leaving care service moves to the new pathway plan audit next month, which samples these young people again.',
};

/**
 * A round that was closed before all its audits were in: half submitted, the rest (one with a draft)
 * cancelled with a reason, so the rounds list shows a closed round and its auditors see why their work went.
 * Returns whether it was made (its framework may not be loaded).
 */
export async function seedDemoClosedRound(
  services: DemoServices,
  importId: number,
  actor: Actor,
): Promise<boolean> {
  const latest = (await services.frameworks.list()).find((f) => f.id === 'care-leavers-pathway')?.latest;
  if (!latest) return false;
  const { id } = await services.rounds.create(
    {
      name: CLOSED_ROUND.name,
      frameworkId: 'care-leavers-pathway',
      frameworkVersion: latest.version,
      importId,
      dueDate: londonDate(7),
      seed: 20261104,
      filters: { caseTypes: ['care-leaver'] },
      size: { kind: 'fixed', total: 6 },
      stratifyBy: 'none',
      exclusions: { auditedWithinMonths: 12, inOtherOpenRound: true, closed: true, restricted: true },
    },
    actor,
  );
  const { audits } = await services.rounds.get(id, actor);
  const { framework } = await services.frameworks.get('care-leavers-pathway', latest.version);
  const users = new Map((await services.users.list()).map((u) => [u.id, u]));
  for (const [index, audit] of audits.entries()) {
    const auditor = audit.auditorUserId === null ? undefined : users.get(audit.auditorUserId);
    if (!auditor || index > 3) continue;
    const as = { ...actor, userId: auditor.id };
    const { profile } = (await services.audits.get(audit.id, auditor, as)).audit;
    const response = agreeingWithCaseList(
      framework,
      completeResponse(framework, () => 1 + (index % 2)),
      profile,
    );
    if (index < 3) await services.audits.submit(audit.id, { version: 0, response }, auditor, as);
    else await services.audits.saveDraft(audit.id, { version: 0, response: { sections: {} } }, auditor, as);
  }
  await services.roundClosing.close(id, { unsubmitted: 'cancel', reason: CLOSED_ROUND.reason }, actor);
  return true;
}
