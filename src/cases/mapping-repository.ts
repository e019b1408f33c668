import { knexOf } from '../db/query';
import type { Executor } from '../db/transaction';
import type { ColumnMapping } from './mapping';
import type { ImportFormat } from './types';

/** A saved column mapping. */
export interface SavedMapping extends ColumnMapping {
  id: number;
  name: string;
  headerHash: string;
  headers: string[];
  updatedAt: Date;
}

interface MappingRow {
  id: number;
  name: string;
  header_hash: string;
  headers: string[];
  format: ImportFormat;
  list: number | null;
  columns: Record<string, string | null>;
  value_mappings: ColumnMapping['values'];
  updated_at: Date;
}

const fromRow = (r: MappingRow): SavedMapping => ({
  id: r.id,
  name: r.name,
  headerHash: r.header_hash,
  headers: r.headers,
  format: r.format,
  ...(r.list ? { list: r.list } : {}),
  columns: r.columns,
  values: r.value_mappings,
  updatedAt: r.updated_at,
});

/** A case list upload waiting for its mapping. */
export interface PendingUpload {
  id: string;
  userId: number;
  fileName: string;
  kind: 'csv' | 'xlsx';
  options: Record<string, unknown>;
  needs: unknown;
  content: Buffer;
}

/** How long an upload waits for its mapping before it is deleted. */
const PENDING_HOURS = 24;

export const mappingRepository = {
  async findByHash(ex: Executor, hash: string): Promise<SavedMapping | undefined> {
    const row = await knexOf(ex)('case_import_mapping')
      .where({ header_hash: hash })
      .orderBy('updated_at', 'desc')
      .first<MappingRow | undefined>();
    return row && fromRow(row);
  },

  async findByName(ex: Executor, name: string): Promise<SavedMapping | undefined> {
    const row = await knexOf(ex)('case_import_mapping').where({ name }).first<MappingRow | undefined>();
    return row && fromRow(row);
  },

  async list(ex: Executor): Promise<SavedMapping[]> {
    const rows = await knexOf(ex)('case_import_mapping').orderBy('name').select<MappingRow[]>('*');
    return rows.map(fromRow);
  },

  async insert(
    ex: Executor,
    m: ColumnMapping & { name: string; headerHash: string; headers: string[] },
    userId: number | null,
  ): Promise<number> {
    const [row] = await knexOf(ex)('case_import_mapping')
      .insert({
        name: m.name,
        header_hash: m.headerHash,
        headers: JSON.stringify(m.headers),
        format: m.format,
        list: m.list ?? null,
        columns: JSON.stringify(m.columns),
        value_mappings: JSON.stringify(m.values),
        created_by_user_id: userId,
        updated_by_user_id: userId,
      })
      .returning<{ id: number }[]>('id');
    return (row as { id: number }).id;
  },

  async update(ex: Executor, id: number, m: ColumnMapping & { name: string }, userId: number | null) {
    await knexOf(ex)('case_import_mapping')
      .where({ id })
      .update({
        name: m.name,
        format: m.format,
        list: m.list ?? null,
        columns: JSON.stringify(m.columns),
        value_mappings: JSON.stringify(m.values),
        updated_by_user_id: userId,
        updated_at: knexOf(ex).fn.now(),
      });
  },

  async insertPending(ex: Executor, p: PendingUpload): Promise<void> {
    await knexOf(ex)('case_import_pending').insert({
      id: p.id,
      user_id: p.userId,
      file_name: p.fileName,
      kind: p.kind,
      options: JSON.stringify(p.options),
      needs: JSON.stringify(p.needs),
      content: p.content,
    });
  },

  /** The user's own upload, if it has not expired. */
  async findPending(ex: Executor, id: string, userId: number): Promise<PendingUpload | undefined> {
    const row = await knexOf(ex)('case_import_pending')
      .where({ id, user_id: userId })
      .where('created_at', '>', knexOf(ex).raw(`now() - interval '${PENDING_HOURS} hours'`))
      .first<
        | {
            id: string;
            user_id: number;
            file_name: string;
            kind: 'csv' | 'xlsx';
            options: Record<string, unknown>;
            needs: unknown;
            content: Buffer;
          }
        | undefined
      >();
    return (
      row && {
        id: row.id,
        userId: row.user_id,
        fileName: row.file_name,
        kind: row.kind,
        options: row.options,
        needs: row.needs,
        content: row.content,
      }
    );
  },

  async updatePendingNeeds(ex: Executor, id: string, needs: unknown): Promise<void> {
    await knexOf(ex)('case_import_pending')
      .where({ id })
      .update({ needs: JSON.stringify(needs) });
  },

  async deletePending(ex: Executor, id: string): Promise<void> {
    await knexOf(ex)('case_import_pending').where({ id }).delete();
  },

  /** Deletes uploads older than a day; returns how many. */
  deleteExpiredPending(ex: Executor): Promise<number> {
    return knexOf(ex)('case_import_pending')
      .where('created_at', '<=', knexOf(ex).raw(`now() - interval '${PENDING_HOURS} hours'`))
      .delete();
  },
};
