import type { Actor } from '../activity-log/actor';
import type { RemediationRecord } from '../remediation/repository';
import type { Services } from '../services';
import type { User } from '../users/user';
import { DEMO_USERS, identityOf, type DemoUser } from './organisation';

type DemoServices = Pick<Services, 'remediation' | 'users'>;

export interface RemediationResult {
  /** Records the demo's inadequate and requires-improvement audits opened. */
  records: number;
  responses: number;
  actions: number;
  closed: number;
}

/** The demo actions: what a team manager might set after an inadequate audit. */
const ACTIONS = [
  {
    description: 'Visit the child at home and see them alone, then record their wishes and feelings.',
    intendedDifference:
      'The child’s own view of home shapes the plan, and they know who to tell if things get worse.',
    kind: 'practice',
  },
  {
    description: 'Hold a case discussion in supervision and write a chronology of the last 12 months.',
    intendedDifference:
      'Patterns of harm are seen together, so the plan responds to them rather than to each incident.',
    kind: 'practice',
  },
  {
    description: 'Upload the missing strategy discussion notes and the signed safety plan to the record.',
    intendedDifference: 'Anyone picking up the case can see at once what was agreed to keep the child safe.',
    kind: 'compliance',
  },
] as const;

/** What becomes of each action a manager sets: left in progress, completed, or completed and verified. */
export type ActionPlan = readonly ('verified' | 'completed' | 'in_progress')[];

/** The staff a manager can make owners of actions, listed once for a run of records. */
type Owners = Awaited<ReturnType<Services['remediation']['ownerChoices']>>;

/**
 * A team manager's answer to a remediation record: a response, then an action per entry of `plan` (owned
 * by one of the team's staff), each moved as far as its entry says, the record's auditor verifying. All
 * the actions are set before any is verified: the record closes when the last one is.
 */
export async function respondAndAct(
  services: DemoServices,
  record: RemediationRecord,
  manager: User,
  plan: ActionPlan,
  owners: Owners,
  actor: Actor,
): Promise<{ actions: number; closed: boolean }> {
  const as = (user: User) => ({ ...actor, userId: user.id });
  const detail = await services.remediation.load(record.id, manager);
  await services.remediation.respond(
    record.id,
    {
      version: detail.record.version,
      response:
        'Read the audit with the social worker in supervision. We agree the child was not seen alone often enough and the plan did not say what should change for them. The actions below put that right.',
    },
    manager,
    as(manager),
  );
  const auditor =
    record.auditorUserId === null ? undefined : await services.users.findById(record.auditorUserId);
  const worker = owners.find((p) => p.teamName === record.teamName && p.id !== manager.personId) ?? owners[0];
  const added: number[] = [];
  for (const i of plan.keys()) {
    const { actionId } = await services.remediation.addAction(
      record.id,
      { ...ACTIONS[i % ACTIONS.length], ownerPersonId: worker?.id },
      manager,
      as(manager),
    );
    added.push(actionId);
  }
  let closed = false;
  for (const [i, state] of plan.entries()) {
    const actionId = added[i] as number;
    const move = (user: User, body: Record<string, unknown>) =>
      services.remediation.moveAction(actionId, body, user, as(user));
    await move(manager, { version: 1, status: 'in_progress' });
    if (state === 'in_progress') continue;
    await move(manager, {
      version: 2,
      status: 'completed',
      evidence: 'Visit recorded in the case notes; plan updated and shared with the family.',
    });
    if (state === 'completed' || !auditor) continue;
    const moved = await move(auditor, {
      version: 3,
      status: 'verified',
      note: 'Read the visit record and the revised plan: the child’s words are in it.',
    });
    closed ||= moved.recordClosed;
  }
  return { actions: added.length, closed };
}

/**
 * The remediation loop, alive in the demo: of the records the demo's grading opened for Assessment North
 * (Harry Chen's team), the first has a response and three actions (one verified, one completed and waiting
 * for the auditor, one in progress), the second a response and one action, verified, so it is closed, and
 * closing it scheduled the case's re-audit, allocated to its auditor. The other teams' records wait for
 * their managers' response.
 */
export async function seedDemoRemediation(services: DemoServices, actor: Actor): Promise<RemediationResult> {
  const found = await services.users.findByEmail(identityOf(DEMO_USERS[3] as DemoUser).email);
  const result: RemediationResult = { records: 0, responses: 0, actions: 0, closed: 0 };
  if (!found) return result;
  const manager: User = found;
  const all = await services.remediation.list(
    (await services.users.list()).find((u) => u.roles.includes('admin')) as User,
    { status: 'open' },
  );
  result.records = all.length;
  const own = all.filter((r) => manager.managedTeamIds.includes(r.teamId)).sort((a, b) => a.id - b.id);
  const owners = await services.remediation.ownerChoices();
  const plans: [RemediationRecord | undefined, ActionPlan][] = [
    [own[0], ['verified', 'completed', 'in_progress']],
    [own[1], ['verified']],
  ];
  for (const [record, plan] of plans) {
    if (!record) continue;
    const done = await respondAndAct(services, record, manager, plan, owners, actor);
    result.responses += 1;
    result.actions += done.actions;
    if (done.closed) result.closed += 1;
  }
  return result;
}
