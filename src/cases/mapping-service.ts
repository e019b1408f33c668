import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../db/transaction';
import { NotFoundError, ValidationError } from '../errors';
import { headerSet, normalisedColumns, parseMapping, type ColumnMapping } from './mapping';
import { mappingRepository, type PendingUpload } from './mapping-repository';

/**
 * Saves a confirmed mapping under its name for the headers it was used with: one mapping per header set
 * (saving again for the same headers replaces it), names unique. Every save is in the audit log.
 */
export async function saveMapping(
  tx: Executor,
  activityLog: ActivityLog,
  mapping: ColumnMapping & { name: string },
  headers: readonly string[],
  actor: Actor,
): Promise<number> {
  const set = headerSet(headers);
  const named = await mappingRepository.findByName(tx, mapping.name);
  const same = await mappingRepository.findByHash(tx, set.hash);
  if (named && named.id !== same?.id)
    throw new ValidationError(
      `The column mapping cannot be saved: the name “${mapping.name}” is already used for other headers. Nothing was imported.`,
      [{ field: 'name', message: 'is already used for other headers: choose another name' }],
    );
  const stored = { ...mapping, columns: normalisedColumns(mapping) };
  const userId = actor.userId ?? null;
  const id = same
    ? (await mappingRepository.update(tx, same.id, stored, userId), same.id)
    : await mappingRepository.insert(tx, { ...stored, headerHash: set.hash, headers: set.headers }, userId);
  await activityLog.record(tx, actor, {
    action: 'case_import_mapping.save',
    recordType: 'case_import_mapping',
    recordId: id,
    summary: {
      after: {
        name: mapping.name,
        format: mapping.format,
        list: mapping.list ?? null,
        headers: set.headers.length,
        replaced: Boolean(same),
      },
    },
  });
  return id;
}

/** A mapping as given to the API or the command line: JSON text, or a saved mapping's name. */
export async function resolveMapping(ex: Executor, given: string): Promise<ColumnMapping> {
  const value = given.trim();
  if (value.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      throw new ValidationError('The column mapping is not valid JSON. Nothing was imported.', [
        { field: 'mapping', message: 'is not valid JSON' },
      ]);
    }
    return parseMapping(json);
  }
  const saved = await mappingRepository.findByName(ex, value);
  if (!saved)
    throw new ValidationError(`There is no saved column mapping named “${value}”. Nothing was imported.`, [
      { field: 'mapping', message: 'is not the name of a saved mapping, nor a JSON mapping' },
    ]);
  return saved;
}

/** An upload kept for its mapping step: at most a day, and only its uploader may use it. */
export function pendingUploads(db: Database) {
  return {
    async keep(upload: Omit<PendingUpload, 'id'>): Promise<string> {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await mappingRepository.deleteExpiredPending(tx);
        await mappingRepository.insertPending(tx, { ...upload, id });
      });
      return id;
    },
    async get(id: string, userId: number): Promise<PendingUpload> {
      const found = UUID.test(id) ? await mappingRepository.findPending(db.executor, id, userId) : undefined;
      if (!found)
        throw new NotFoundError(
          'There is no upload waiting at this address: it was imported, or is over a day old.',
        );
      return found;
    },
    updateNeeds: (id: string, needs: unknown) => mappingRepository.updatePendingNeeds(db.executor, id, needs),
    remove: (id: string) => mappingRepository.deletePending(db.executor, id),
    /** Deletes the uploads over a day old (hourly, and whenever one is kept); returns how many. */
    sweep: () => mappingRepository.deleteExpiredPending(db.executor),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
