import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Database, Executor } from '../db/transaction';
import { organisationRepository, type PersonInput } from '../organisation/repository';
import { DEMO_TENANT, demoSubject } from './single-sign-on';
import { userRepository } from '../users/repository';
import {
  DEMO_USERS,
  LOCALITIES,
  SERVICE_AREAS,
  TEAMS,
  TEAM_SIZE,
  emailFor,
  headRef,
  identityOf,
  staffName,
  staffRef,
} from './organisation';

export interface SeedResult {
  teams: number;
  people: number;
  usersCreated: number;
}

function person(
  ref: string,
  name: string,
  jobTitle: string,
  teamId: number | null,
  lineManagerId: number | null,
): PersonInput {
  return { externalRef: ref, displayName: name, jobTitle, teamId, lineManagerId, email: emailFor(name) };
}

/** Heads of service, then each team's manager (reporting to their head), then the team (reporting to the manager). */
async function seedStaff(tx: Executor, teamIds: Map<string, number>): Promise<Map<string, number>> {
  const heads = await organisationRepository.upsertPeople(
    tx,
    SERVICE_AREAS.map((area) => person(headRef(area.code), area.head, 'Head of Service', null, null)),
  );
  const managers = await organisationRepository.upsertPeople(
    tx,
    TEAMS.map((team, t) =>
      person(
        staffRef(t * TEAM_SIZE),
        staffName(t * TEAM_SIZE),
        'Team Manager',
        teamIds.get(team.code) ?? null,
        heads.get(headRef(team.serviceArea)) ?? null,
      ),
    ),
  );
  const practitioners = await organisationRepository.upsertPeople(
    tx,
    TEAMS.flatMap((team, t) =>
      Array.from({ length: TEAM_SIZE - 1 }, (_, m) => {
        const index = t * TEAM_SIZE + m + 1;
        return person(
          staffRef(index),
          staffName(index),
          m === 0 ? 'Advanced Practitioner' : team.practitionerTitle,
          teamIds.get(team.code) ?? null,
          managers.get(staffRef(t * TEAM_SIZE)) ?? null,
        );
      }),
    ),
  );
  return new Map([...heads, ...managers, ...practitioners]);
}

/**
 * Creates the Demoshire demo organisation and one user per role. Idempotent: rows are matched on their
 * codes, staff ids and emails, so running it again changes nothing and duplicates nothing.
 */
export async function seedDemo(db: Database, activityLog: ActivityLog, actor: Actor): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    const localityIds = await organisationRepository.upsertLocalities(tx, LOCALITIES);
    const serviceAreaIds = await organisationRepository.upsertServiceAreas(tx, SERVICE_AREAS);
    const teamIds = await organisationRepository.upsertTeams(
      tx,
      TEAMS.map((team) => ({
        code: team.code,
        name: team.name,
        kind: team.kind,
        localityId: team.locality ? (localityIds.get(team.locality) ?? null) : null,
        serviceAreaId: serviceAreaIds.get(team.serviceArea) ?? null,
      })),
    );
    const personIds = await seedStaff(tx, teamIds);

    let usersCreated = 0;
    for (const demoUser of DEMO_USERS) {
      const { displayName, email, personRef } = identityOf(demoUser);
      // Known to the local identity provider by the same tenant and object id (src/demo/single-sign-on.ts).
      const existing = await userRepository.findByEmail(tx, email);
      if (existing) {
        if (!existing.externalSubjectId)
          await userRepository.setSubject(tx, existing.id, DEMO_TENANT, demoSubject(email));
        continue;
      }
      const id = await userRepository.insert(tx, {
        email,
        displayName,
        personId: personRef ? (personIds.get(personRef) ?? null) : null,
        tenantId: DEMO_TENANT,
        externalSubjectId: demoSubject(email),
      });
      await userRepository.addRoles(tx, id, demoUser.roles);
      if ('managerOf' in demoUser)
        await userRepository.addManagedTeams(tx, id, [teamIds.get(demoUser.managerOf) as number]);
      if ('headOf' in demoUser)
        await userRepository.addServiceAreas(tx, id, [serviceAreaIds.get(demoUser.headOf) as number]);
      usersCreated += 1;
    }

    const result = { teams: teamIds.size, people: personIds.size, usersCreated };
    if (usersCreated > 0) {
      await activityLog.record(tx, actor, {
        action: 'demo.seed',
        recordType: 'organisation',
        summary: { after: result },
      });
    }
    return result;
  });
}
