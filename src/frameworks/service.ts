import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Database, Executor } from '../db/transaction';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors';
import type { Logger } from '../logger';
import type { CheckResult } from './load';
import {
  frameworkRepository,
  type StoredVersion,
  type VersionSource,
  type VersionSummary,
} from './repository';
import { ResponseSchemas, type ResponseCheck } from './response-validator';
import { VARIANTS, type Variant } from './response-schema';
import { checkFrameworkData } from './spreadsheet';
import type { FrameworkProblem } from './types';

export interface LoadOutcome {
  outcome: 'created' | 'unchanged';
  version: VersionSummary;
}

export interface FileProblems {
  file: string;
  problems: FrameworkProblem[];
}

export interface FrameworkSummary {
  id: string;
  latest: VersionSummary;
  /** Newest first. */
  versions: VersionSummary[];
}

const bySemverDescending = (a: VersionSummary, b: VersionSummary) => semver.rcompare(a.version, b.version);

/** Files in the frameworks folder that are frameworks (the meta-schema is not). */
export function isFrameworkFile(file: string): boolean {
  return /\.(json|csv|xlsx)$/i.test(file) && !file.endsWith('.schema.json');
}

export type FrameworksService = ReturnType<typeof createFrameworksService>;

export function createFrameworksService(db: Database, activityLog: ActivityLog, logger: Logger) {
  const responseSchemas = new ResponseSchemas();
  const cache = new Map<string, StoredVersion>();
  let startupProblems: FileProblems[] = [];

  async function nextVersion(ex: Executor, frameworkId: string): Promise<string> {
    const versions = (await frameworkRepository.listVersions(ex, frameworkId)).sort(bySemverDescending);
    return semver.inc(versions[0]?.version ?? '0.0.0', 'patch') ?? '';
  }

  /**
   * Stores a checked framework. The same id, version and content again changes nothing; the same id and
   * version with other content is refused: versions never change once loaded.
   */
  async function store(
    result: CheckResult,
    source: VersionSource,
    sourceName: string | null,
    actor: Actor,
  ): Promise<LoadOutcome> {
    if (!result.ok) {
      throw new ValidationError(
        `The framework has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}.`,
        result.problems.map((p) => ({ field: p.pointer || '/', message: p.message })),
      );
    }
    const { framework, hash } = result;
    for (const variant of VARIANTS) responseSchemas.schema(framework, variant);
    return db.transaction(async (tx) => {
      // Two servers starting together load the same files: take turns per framework version.
      await frameworkRepository.lockVersion(tx, framework.id, framework.version);
      const existing = await frameworkRepository.findHash(tx, framework.id, framework.version);
      if (existing === hash) {
        const stored = await frameworkRepository.find(tx, framework.id, framework.version);
        return { outcome: 'unchanged', version: stored as VersionSummary };
      }
      if (existing) {
        throw new ConflictError(
          `${framework.id} version ${framework.version} is already loaded with different content. A version never changes once loaded: give the changed framework a new version number, such as ${await nextVersion(tx, framework.id)}.`,
          [{ field: '/version', message: `${framework.version} is already loaded with different content` }],
        );
      }
      const versionId = await frameworkRepository.insert(tx, {
        framework,
        hash,
        source,
        sourceName,
        userId: actor.userId,
      });
      await activityLog.record(tx, actor, {
        action: 'framework.load',
        recordType: 'framework_version',
        recordId: versionId,
        summary: {
          after: { frameworkId: framework.id, version: framework.version, hash, source, sourceName },
        },
      });
      const stored = await frameworkRepository.findById(tx, versionId);
      return { outcome: 'created', version: stored as VersionSummary };
    });
  }

  async function get(frameworkId: string, version: string): Promise<StoredVersion> {
    const key = `${frameworkId}@${version}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const stored = await frameworkRepository.find(db.executor, frameworkId, version);
    if (!stored) throw new NotFoundError(`There is no framework ${frameworkId} version ${version}.`);
    cache.set(key, stored);
    return stored;
  }

  async function list(): Promise<FrameworkSummary[]> {
    const groups = new Map<string, VersionSummary[]>();
    for (const version of await frameworkRepository.listVersions(db.executor)) {
      groups.set(version.frameworkId, [...(groups.get(version.frameworkId) ?? []), version]);
    }
    return [...groups.entries()]
      .map(([id, versions]) => {
        const sorted = versions.sort(bySemverDescending);
        return { id, latest: sorted[0] as VersionSummary, versions: sorted };
      })
      .sort((a, b) => a.latest.title.localeCompare(b.latest.title));
  }

  return {
    /** Checks and stores a framework file (JSON, CSV or XLSX). */
    async load(data: Buffer, fileName: string, source: VersionSource, actor: Actor): Promise<LoadOutcome> {
      return store(await checkFrameworkData(data, fileName), source, fileName || null, actor);
    },

    /**
     * Loads every framework file in a folder. A file with problems is reported (in the log and, through
     * startupProblems, on the frameworks page) and skipped: it never stops the others or the server.
     */
    async loadDirectory(
      dir: string,
      actor: Actor,
    ): Promise<{ loaded: LoadOutcome[]; problems: FileProblems[] }> {
      const loaded: LoadOutcome[] = [];
      const problems: FileProblems[] = [];
      const files = (await readdir(dir)).filter(isFrameworkFile).sort();
      for (const file of files) {
        try {
          const result = await checkFrameworkData(await readFile(path.join(dir, file)), file);
          if (!result.ok) {
            problems.push({ file, problems: result.problems });
            continue;
          }
          loaded.push(await store(result, 'file', file, actor));
        } catch (err) {
          if (!(err instanceof AppError)) logger.error({ err, file }, 'could not load a framework file');
          problems.push({
            file,
            problems: [
              {
                pointer: '',
                message: err instanceof AppError ? err.message : 'could not be loaded: see the server log',
              },
            ],
          });
        }
      }
      for (const { file, problems: fileProblems } of problems) {
        logger.warn(
          { file, problems: fileProblems.slice(0, 20), count: fileProblems.length },
          'framework file not loaded',
        );
      }
      startupProblems = problems;
      return { loaded, problems };
    },

    /** Files from the frameworks folder that could not be loaded at start-up, and why. */
    startupProblems: (): readonly FileProblems[] => startupProblems,

    list,
    get,

    async getLatest(frameworkId: string): Promise<StoredVersion> {
      const latest = (await list()).find((f) => f.id === frameworkId)?.latest;
      if (!latest) throw new NotFoundError(`There is no framework ${frameworkId}.`);
      return get(frameworkId, latest.version);
    },

    responseSchema(stored: StoredVersion, variant: Variant): Record<string, unknown> {
      return responseSchemas.schema(stored.framework, variant);
    },

    checkResponse(stored: StoredVersion, variant: Variant, response: unknown): ResponseCheck {
      return responseSchemas.check(stored.framework, variant, response);
    },
  };
}
