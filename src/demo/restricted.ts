import type { Actor } from '../activity-log/actor';
import type { Services } from '../services';
import { DEMO_USERS, identityOf, type DemoUser } from './organisation';

/** The demo team manager who is granted a restricted case of their own team: Family Safeguarding South 1's. */
const GRANTEE = DEMO_USERS[4] as DemoUser;

/**
 * The demo case list marks a few children restricted. One of them, in the team the second demo team manager
 * manages, is granted to that manager, so that signing in as them shows a restricted case among their
 * cases (and as the other manager, none). Done once: nothing when any grant exists. Returns the case granted.
 */
export async function seedDemoRestrictedGrant(
  services: Pick<Services, 'restrictedCases' | 'users'>,
  actor: Actor,
): Promise<string | undefined> {
  const cases = await services.restrictedCases.list();
  if (cases.some((c) => c.grants.length > 0)) return undefined;
  const manager = await services.users.findByEmail(identityOf(GRANTEE).email);
  const target = cases.find((c) => c.teamName === 'Family Safeguarding South 1');
  if (!manager || !target) return undefined;
  await services.restrictedCases.grant(
    target.caseRef,
    { userId: String(manager.id), reason: 'Manages the team that holds the case' },
    actor,
  );
  return target.caseRef;
}
