import { translating } from '../db/errors';
import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

const TABLE = 'council_closure_day';

/** A weekday the council is closed besides bank holidays. */
export interface ClosureDay {
  /** ISO date (YYYY-MM-DD). */
  day: string;
  reason: string;
  createdByName: string | null;
  createdAt: Date;
}

interface ClosureDayRow {
  day: string;
  reason: string;
  created_by_name: string | null;
  created_at: Date;
}

const toClosureDay = (row: ClosureDayRow): ClosureDay => ({
  day: row.day,
  reason: row.reason,
  createdByName: row.created_by_name,
  createdAt: row.created_at,
});

const select = (ex: Executor) =>
  knexOf(ex)(`${TABLE} as c`)
    .leftJoin('app_user as u', 'u.id', 'c.created_by_user_id')
    .select<ClosureDayRow[]>('c.day', 'c.reason', 'u.display_name as created_by_name', 'c.created_at');

export const closureDayRepository = {
  /** Every closure day, earliest first. */
  async list(ex: Executor): Promise<ClosureDay[]> {
    return (await select(ex).orderBy('c.day')).map(toClosureDay);
  },

  /** The days alone, for the working-day calendar. */
  days(ex: Executor): Promise<string[]> {
    return knexOf(ex)(TABLE).orderBy('day').pluck('day');
  },

  async find(ex: Executor, day: string): Promise<ClosureDay | undefined> {
    const row = await select(ex).where('c.day', day).first();
    return row && toClosureDay(row);
  },

  /** Adds a day; false when it is there already (another request added it first). */
  async insert(ex: Executor, day: { day: string; reason: string; createdByUserId: number | null }) {
    const rows = await translating(
      knexOf(ex)(TABLE)
        .insert({ day: day.day, reason: day.reason, created_by_user_id: day.createdByUserId })
        .onConflict('day')
        .ignore()
        .returning('day'),
    );
    return rows.length > 0;
  },

  /** Removes a day; false when it was not there. */
  async remove(ex: Executor, day: string): Promise<boolean> {
    return (await knexOf(ex)(TABLE).where({ day }).delete()) > 0;
  },
};
