import type { Knex } from 'knex';
import type { Executor } from './transaction';

/** The query builder an Executor stands for: repositories only (ESLint refuses this import elsewhere). */
export function knexOf(ex: Executor): Knex {
  return ex as unknown as Knex;
}
