import type { Actor } from '../activity-log/actor';
import type { Services } from '../services';
import type { User } from '../users/user';
import { TEAMS } from './organisation';

type DemoServices = Pick<Services, 'audits' | 'escalations' | 'users'>;

const teamName = (code: string) => TEAMS.find((t) => t.code === code)?.name as string;

/**
 * The demo's two immediate safeguarding concerns. The first is on a case of Family Safeguarding South 1,
 * whose team manager (Hassan Campbell) and head of service (Fiona Gallagher) are both users: it reaches
 * both, and Fiona has acknowledged it while Hassan has not. The second is on a case of Family Safeguarding
 * North 1, which has no team manager user: it reaches Fiona, and its team manager's escalation waits on the
 * administrators' Needs attention list.
 */
/** The demo's team with no team manager user (and so no account made for its manager in the history). */
export const TEAM_WITHOUT_MANAGER = 'family-safeguarding-north-1';

export const DEMO_CONCERNS = [
  {
    team: teamName('family-safeguarding-south-1'),
    details:
      'Domestic abuse incident reported by the school last week has not been recorded or followed up. Spoke to the team manager at 11:20, who has asked the social worker to visit today.',
    acknowledgedByHead: true,
  },
  {
    team: teamName(TEAM_WITHOUT_MANAGER),
    details:
      'The child told their teacher they are afraid to go home; the referral was closed without a visit. Could not reach a manager in the team: left a message with the duty desk at 14:05.',
    acknowledgedByHead: false,
  },
] as const;

/** Whether an audit of this team should carry one of the demo's concerns. */
export const demoConcernFor = (team: string) => DEMO_CONCERNS.find((c) => c.team === team);

/** Raises a demo concern as the auditor grading the audit, and has the head of service see it if planned. */
export async function raiseDemoConcern(
  services: DemoServices,
  concern: (typeof DEMO_CONCERNS)[number],
  auditId: number,
  auditor: User,
  actor: Actor,
): Promise<void> {
  const outcome = await services.audits.raiseConcern(auditId, concern.details, auditor, {
    ...actor,
    userId: auditor.id,
  });
  if (!concern.acknowledgedByHead) return;
  for (const head of outcome.recipients.filter((r) => r.role === 'head_of_service')) {
    const user = await services.users.findById(head.userId);
    if (!user) continue;
    const { toAcknowledge } = await services.escalations.inbox(user);
    const mine = toAcknowledge.find((e) => e.concernId === outcome.concernId);
    if (mine) await services.escalations.acknowledge(mine.id, user, { ...actor, userId: user.id });
  }
}
