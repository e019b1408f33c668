import { ping } from '../db/connection';
import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

export const healthRepository = {
  ping: (ex: Executor, timeoutMs: number) => ping(knexOf(ex), timeoutMs),
};
