import { knexOf } from '../db/query';
import { translating } from '../db/errors';
import type { Executor } from '../db/transaction';
import type { Framework } from './types';

export type VersionSource = 'file' | 'upload' | 'cli';

/** A stored version, without its content. */
export interface VersionSummary {
  versionId: number;
  frameworkId: string;
  version: string;
  title: string;
  hash: string;
  source: VersionSource;
  sourceName: string | null;
  loadedByName: string | null;
  loadedAt: Date;
}

export interface StoredVersion extends VersionSummary {
  framework: Framework;
}

interface VersionRow {
  id: number;
  framework_id: string;
  version: string;
  title: string;
  content_hash: string;
  source: VersionSource;
  source_name: string | null;
  loaded_by_name: string | null;
  loaded_at: Date;
  content?: Framework;
}

function toSummary(row: VersionRow): VersionSummary {
  return {
    versionId: row.id,
    frameworkId: row.framework_id,
    version: row.version,
    title: row.title,
    hash: row.content_hash,
    source: row.source,
    sourceName: row.source_name,
    loadedByName: row.loaded_by_name,
    loadedAt: row.loaded_at,
  };
}

function selectVersions(ex: Executor, withContent: boolean) {
  return knexOf(ex)('framework_version as v')
    .leftJoin('app_user as u', 'u.id', 'v.loaded_by_user_id')
    .select<VersionRow[]>(
      'v.id',
      'v.framework_id',
      'v.version',
      'v.title',
      'v.content_hash',
      'v.source',
      'v.source_name',
      'v.loaded_at',
      'u.display_name as loaded_by_name',
      ...(withContent ? ['v.content'] : []),
    );
}

export const frameworkRepository = {
  /** Serialises loads of one framework version until the transaction ends. */
  async lockVersion(tx: Executor, frameworkId: string, version: string): Promise<void> {
    await knexOf(tx).raw('select pg_advisory_xact_lock(hashtext(?))', [
      `framework:${frameworkId}@${version}`,
    ]);
  },

  async find(ex: Executor, frameworkId: string, version: string): Promise<StoredVersion | undefined> {
    const row = await selectVersions(ex, true)
      .where({ 'v.framework_id': frameworkId, 'v.version': version })
      .first();
    return row && { ...toSummary(row), framework: row.content as Framework };
  },

  async findById(ex: Executor, versionId: number): Promise<StoredVersion | undefined> {
    const row = await selectVersions(ex, true).where('v.id', versionId).first();
    return row && { ...toSummary(row), framework: row.content as Framework };
  },

  async findHash(ex: Executor, frameworkId: string, version: string): Promise<string | undefined> {
    const row = await knexOf(ex)('framework_version')
      .where({ framework_id: frameworkId, version })
      .first<{ content_hash: string } | undefined>('content_hash');
    return row?.content_hash;
  },

  async listVersions(ex: Executor, frameworkId?: string): Promise<VersionSummary[]> {
    const query = selectVersions(ex, false).orderBy(['v.framework_id', 'v.id']);
    if (frameworkId) query.where('v.framework_id', frameworkId);
    return (await query).map(toSummary);
  },

  async insert(
    ex: Executor,
    version: {
      framework: Framework;
      hash: string;
      source: VersionSource;
      sourceName: string | null;
      userId: number | null;
    },
  ): Promise<number> {
    await knexOf(ex)('framework').insert({ id: version.framework.id }).onConflict('id').ignore();
    const [row] = await translating(
      knexOf(ex)('framework_version')
        .insert({
          framework_id: version.framework.id,
          version: version.framework.version,
          title: version.framework.title,
          content: JSON.stringify(version.framework),
          content_hash: version.hash,
          source: version.source,
          source_name: version.sourceName,
          loaded_by_user_id: version.userId,
        })
        .returning<{ id: number }[]>('id'),
      {
        framework_version_unique: {
          field: 'version',
          message: 'This version of the framework is already loaded.',
        },
      },
    );
    if (!row) throw new Error('insert returned no id');
    return row.id;
  },
};
