import type { Database } from '../db/transaction';
import type { Services } from '../services';
import type { User } from '../users/user';
import { userRepository } from '../users/repository';
import { historyRepository } from './history-repository';
import { TEAM_WITHOUT_MANAGER } from './concerns';
import { TEAMS, TEAM_SIZE, emailFor, staffRef } from './organisation';

/**
 * Every team's manager as a user who can answer their team's remediation records: the demo's own team
 * managers, and an account (team manager only) for each other team's manager, linked to their staff
 * record; but for the team the demo keeps without a manager user (its concern reached nobody), whose
 * history records still wait for a response.
 */
export async function historyManagers(
  services: Pick<Services, 'users'>,
  db: Database,
): Promise<{ managers: Map<number, User>; created: number }> {
  let created = 0;
  await db.transaction(async (tx) => {
    const people = await historyRepository.teamManagers(
      tx,
      TEAMS.flatMap((team, t) =>
        team.code === TEAM_WITHOUT_MANAGER
          ? []
          : [{ teamCode: team.code, personRef: staffRef(t * TEAM_SIZE) }],
      ),
    );
    const existing = await services.users.listWithRole('team_manager');
    for (const person of people) {
      if (existing.some((u) => u.managedTeamIds.includes(person.teamId))) continue;
      const email = person.email ?? emailFor(person.displayName);
      if (await userRepository.findByEmail(tx, email)) continue;
      const id = await userRepository.insert(tx, {
        email,
        displayName: person.displayName,
        personId: person.personId,
      });
      await userRepository.addRoles(tx, id, ['team_manager']);
      await userRepository.addManagedTeams(tx, id, [person.teamId]);
      created += 1;
    }
  });
  const managers = new Map<number, User>();
  for (const user of await services.users.listWithRole('team_manager'))
    for (const teamId of user.managedTeamIds) if (!managers.has(teamId)) managers.set(teamId, user);
  return { managers, created };
}
