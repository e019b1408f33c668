import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import type { Services } from '../../src/services';
import type { User } from '../../src/users/user';

/**
 * A manager of the case's team gives the record's management response and sets one action, which they
 * start and complete: it waits for its auditor to verify it (its version is then 3). Returns the action.
 */
export async function respondWithCompletedAction(
  services: Services,
  recordId: number,
  manager: User,
): Promise<number> {
  const as = { ...SYSTEM_ACTOR, userId: manager.id };
  const { record } = await services.remediation.load(recordId, manager);
  await services.remediation.respond(
    recordId,
    { version: record.version, response: 'We agree with the audit.' },
    manager,
    as,
  );
  const [owner] = await services.remediation.ownerChoices();
  const { actionId } = await services.remediation.addAction(
    recordId,
    {
      description: 'Visit the child at home and see them alone.',
      intendedDifference: 'The plan is shaped by what the child says.',
      kind: 'practice',
      ownerPersonId: owner?.id,
    },
    manager,
    as,
  );
  for (const [version, status] of [
    [1, 'in_progress'],
    [2, 'completed'],
  ] as const)
    await services.remediation.moveAction(actionId, { version, status }, manager, as);
  return actionId;
}
