import type { Knex } from 'knex';
import { ping } from '../db/connection';
import type { Executor } from '../db/transaction';

export const healthRepository = {
  ping: (ex: Executor, timeoutMs: number) => ping(ex as Knex, timeoutMs),
};
