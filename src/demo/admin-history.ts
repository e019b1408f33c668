import type { Actor } from '../activity-log/actor';
import type { Services } from '../services';
import { emailFor } from './organisation';

/** A member of staff who has left: added as an auditor, then deactivated. */
const LEAVER = { displayName: 'Tom Bradley', email: emailFor('Tom Bradley') };
/** A team the administrator added and then renamed, with no cases yet. */
const NEW_TEAM = { code: 'edge-of-care', name: 'Edge of Care', renamed: 'Edge of Care and Reunification' };

/**
 * A little administration history for the demo, done as the demo administrator (Sam Patel) so that the
 * users, teams and audit log pages show it: a user who left and was deactivated, and a new team that was
 * renamed. Idempotent: each step happens only when its user or team is not there yet. Returns whether it
 * added anything.
 */
export async function seedDemoAdminHistory(
  services: Pick<Services, 'users' | 'organisationAdmin'>,
): Promise<boolean> {
  const { users, organisationAdmin } = services;
  const admin = await users.findByEmail(emailFor('Sam Patel'));
  if (!admin) return false;
  let added = false;
  const actor: Actor = { kind: 'user', userId: admin.id, tokenId: null, requestId: null };
  if (!(await users.findByEmail(LEAVER.email))) {
    const leaver = await users.add({ ...LEAVER, roles: ['auditor'] }, actor);
    await users.deactivate(leaver.id, actor);
    added = true;
  }
  if (!(await organisationAdmin.listTeams()).some((team) => team.code === NEW_TEAM.code)) {
    const [localities, areas] = await Promise.all([
      organisationAdmin.listLocalities(),
      organisationAdmin.listServiceAreas(),
    ]);
    const team = await organisationAdmin.addTeam(
      {
        code: NEW_TEAM.code,
        name: NEW_TEAM.name,
        kind: 'other',
        localityId: localities.find((l) => l.code === 'east')?.id ?? null,
        serviceAreaId: areas.find((a) => a.code === 'children-in-care')?.id ?? null,
      },
      actor,
    );
    await organisationAdmin.updateTeam(team.id, { name: NEW_TEAM.renamed }, actor);
    added = true;
  }
  return added;
}
