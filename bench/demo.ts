import type { Knex } from 'knex';
import { DEMO_USERS, identityOf, type DemoUser } from '../src/demo/organisation';

/** The user ids of the demo's two auditors (Aisha Khan and Priya Shah), who grade the benchmarks' audits. */
export async function demoAuditorIds(knex: Knex): Promise<number[]> {
  return knex('app_user')
    .whereIn('email', [
      identityOf(DEMO_USERS[1] as DemoUser).email,
      identityOf(DEMO_USERS[2] as DemoUser).email,
    ])
    .orderBy('id')
    .pluck<number[]>('id');
}
