import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import { caseScopeFor, type ScopedUser } from '../auth/scope';
import type { Database } from '../db/transaction';
import { NotFoundError } from '../errors';
import { createCaseImporter, type ImportInput, type ImportProgress } from './import-service';
import { pendingUploads, resolveMapping } from './mapping-service';
import { mappingRepository } from './mapping-repository';
import { caseRepository, type CaseFilter } from './repository';
import type { ImportOptions } from './types';

export type CasesService = ReturnType<typeof createCasesService>;

export function createCasesService(db: Database, activityLog: ActivityLog) {
  const importer = createCaseImporter(db, activityLog);
  return {
    importCases: (
      input: ImportInput,
      options: ImportOptions,
      actor: Actor,
      onProgress?: (p: ImportProgress) => void,
    ) => importer.importCases(input, options, actor, onProgress),

    /** Imports left running by a server that died part-way through them, marked failed; how many. */
    failAbandonedImports: () => importer.failAbandoned(),

    /** A column mapping sent as JSON text, or a saved mapping's name (422 if neither). */
    resolveMapping: (given: string) => resolveMapping(db.executor, given),

    /** Uploads waiting for their mapping step. */
    pending: pendingUploads(db),

    listMappings: () => mappingRepository.list(db.executor),

    listImports: () => caseRepository.listImports(db.executor),

    /** Imports that imported cases (not those refused), newest first: the lists a round can sample. */
    listImported: () => caseRepository.listImported(db.executor),

    /** The newest import that was not refused: the population sampled by default. */
    async latestImportId(): Promise<number | undefined> {
      return (await caseRepository.listImported(db.executor))[0]?.id;
    },

    async getImport(id: number) {
      const found = await caseRepository.findImport(db.executor, id);
      if (!found) throw new NotFoundError(`There is no case import ${id}.`);
      return found;
    },

    /** Cases the user may see (their team scope), recording the view of case-level data in the audit log. */
    async listCases(user: ScopedUser, filter: CaseFilter, actor: Actor) {
      const result = await caseRepository.listCases(db.executor, caseScopeFor(user), filter);
      await activityLog.recordView(
        actor,
        'case_list',
        JSON.stringify({ ...filter, returned: result.cases.length }),
      );
      return result;
    },

    attributeValues: (importId: number) => caseRepository.attributeValues(db.executor, importId),

    async rejections(importId: number, actor: Actor) {
      await this.getImport(importId);
      await activityLog.recordView(actor, 'case_import_rejection', importId);
      return caseRepository.rejections(db.executor, importId);
    },
  };
}
