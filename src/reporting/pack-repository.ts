import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';

export interface PackSummary {
  id: number;
  month: string;
  scope: string;
  scopeLabel: string;
  version: number;
  sha256: string;
  pages: number;
  bytes: number;
  /** Whether its HTML twin was kept (packs made before it was are PDF only). */
  hasHtml: boolean;
  snapshotAt: Date;
  createdByName: string | null;
  createdAt: Date;
}

const SUMMARY = [
  'p.id',
  'p.month',
  'p.scope',
  'p.scope_label as scopeLabel',
  'p.version',
  'p.sha256',
  'p.pages',
  'p.snapshot_at as snapshotAt',
  'u.display_name as createdByName',
  'p.created_at as createdAt',
];

const summaries = (ex: Executor) =>
  knexOf(ex)('report_pack as p')
    .leftJoin('app_user as u', 'u.id', 'p.created_by_user_id')
    .select([
      ...SUMMARY,
      knexOf(ex).raw('octet_length(p.pdf)::int as bytes'),
      knexOf(ex).raw('p.html is not null as "hasHtml"'),
    ]);

export const packRepository = {
  /**
   * Stores a pack as the next version of its month and scope. Two made at once for the same month and scope
   * meet on the unique version: the second is told to try again (the caller's transaction retries).
   */
  async insert(
    ex: Executor,
    pack: {
      month: string;
      scope: string;
      scopeLabel: string;
      pdf: Buffer;
      html: string;
      sha256: string;
      pages: number;
      snapshotAt: Date;
      userId: number | null;
    },
  ): Promise<{ id: number; version: number }> {
    const k = knexOf(ex);
    const [row] = await k('report_pack')
      .insert({
        month: pack.month,
        scope: pack.scope,
        scope_label: pack.scopeLabel,
        version: k.raw(
          `(select coalesce(max(version), 0) + 1 from report_pack where month = ? and scope = ?)`,
          [pack.month, pack.scope],
        ),
        pdf: pack.pdf,
        html: pack.html,
        sha256: pack.sha256,
        pages: pack.pages,
        snapshot_at: pack.snapshotAt,
        created_by_user_id: pack.userId,
      })
      .returning<{ id: number; version: number }[]>(['id', 'version']);
    return row as { id: number; version: number };
  },

  /** Packs of the scopes given, newest first. */
  async list(ex: Executor, scopes: readonly string[] | 'all'): Promise<PackSummary[]> {
    const query = summaries(ex).orderBy([
      { column: 'p.month', order: 'desc' },
      { column: 'p.version', order: 'desc' },
    ]);
    if (scopes !== 'all') query.whereIn('p.scope', scopes);
    return (await query) as PackSummary[];
  },

  async find(ex: Executor, id: number): Promise<PackSummary | undefined> {
    return (await summaries(ex).where('p.id', id).first()) as PackSummary | undefined;
  },

  async pdf(ex: Executor, id: number): Promise<Buffer | undefined> {
    const row = await knexOf(ex)('report_pack').where({ id }).first<{ pdf: Buffer } | undefined>('pdf');
    return row?.pdf;
  },

  /** The pack's HTML twin: undefined when there is no such pack, null when it was made without one. */
  async html(ex: Executor, id: number): Promise<string | null | undefined> {
    const row = await knexOf(ex)('report_pack')
      .where({ id })
      .first<{ html: string | null } | undefined>('html');
    return row?.html;
  },

  /**
   * Holds, until the transaction ends, the right to make the month's scheduled pack: a second server (or a
   * retried job) waits, then finds it made.
   */
  async lockMonth(ex: Executor, month: string, scope: string): Promise<void> {
    await knexOf(ex).raw(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
      `report_pack:${month}:${scope}`,
    ]);
  },

  /** Whether the month's pack of this scope has been made by the schedule already. */
  async scheduledExists(ex: Executor, month: string, scope: string): Promise<boolean> {
    const row = await knexOf(ex)('report_pack')
      .where({ month, scope })
      .whereNull('created_by_user_id')
      .first<{ id: number } | undefined>('id');
    return row !== undefined;
  },
};
