import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

export const targetRepository = {
  /** Each measure's target percentage, where one is set. */
  async all(ex: Executor): Promise<Map<string, number>> {
    const rows: { measure: string; target: string }[] = await knexOf(ex)('report_target').select(
      'measure',
      'target_percent as target',
    );
    return new Map(rows.map((r) => [r.measure, Number(r.target)]));
  },

  async set(ex: Executor, measure: string, targetPercent: number, userId: number | null): Promise<void> {
    await knexOf(ex)('report_target')
      .insert({
        measure,
        target_percent: targetPercent,
        updated_by_user_id: userId,
        updated_at: knexOf(ex).fn.now(),
      })
      .onConflict('measure')
      .merge();
  },

  async remove(ex: Executor, measure: string): Promise<void> {
    await knexOf(ex)('report_target').where({ measure }).delete();
  },
};
