import type { ActivityLog } from '../activity-log/service';
import type { Actor } from '../activity-log/actor';
import { scopeFor, type ScopedUser } from '../auth/scope';
import { londonDate } from '../dates';
import type { Database } from '../db/transaction';
import { BadRequestError, type FieldError } from '../errors';
import type { FrameworksService } from '../frameworks/service';
import type { OrganisationService } from '../organisation/service';
import { cellsOf, exportColumns, type Cell, type Column } from './columns';
import { periodOf } from '../reporting/period';
import { exportsRepository as repo, type ExportFilter } from './repository';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What an export is asked for: a framework (required), a period (UK dates or months), a team. */
export interface ExportQuery {
  frameworkId?: string;
  from?: string;
  to?: string;
  teamId?: number;
}

/** How many audits are read from the database at a time. */
export const PAGE_SIZE = 500;

/** An export ready to send: its columns, how many rows, and the rows a page at a time. */
export interface Download {
  format: ExportFormat;
  filename: string;
  columns: readonly Column[];
  rowCount: number;
  pages(): AsyncGenerator<Cell[][]>;
}

export type ExportsService = ReturnType<typeof createExportsService>;

/**
 * Exports of audit results (CSV and XLSX): one row per submitted audit, the framework's structure as
 * columns. They are case-level data, so each user's scope is worked out for case records: admins every team,
 * heads of service their areas' teams, team managers their teams. Every download is in the audit log.
 */
export function createExportsService(
  db: Database,
  activityLog: ActivityLog,
  frameworks: FrameworksService,
  organisation: OrganisationService,
) {
  const ex = db.executor;

  /** The teams the user may narrow an export to: those of their scope, closed ones too (they keep history). */
  const teamsOf = (user: ScopedUser) => organisation.listTeams(user, { includeClosed: true });

  /** The query checked against what exists and what the user may see; every problem at once, by field. */
  async function checked(user: ScopedUser, query: ExportQuery) {
    const problems: FieldError[] = [];
    const found = (await frameworks.list()).find((f) => f.id === query.frameworkId);
    if (query.frameworkId === undefined) problems.push({ field: 'framework', message: 'is required' });
    else if (!found) problems.push({ field: 'framework', message: 'is not a framework loaded here' });
    const { period, problems: periodProblems } = periodOf(query, londonDate());
    problems.push(...periodProblems);
    if (query.teamId !== undefined && !(await teamsOf(user)).some((t) => t.id === query.teamId))
      problems.push({ field: 'team', message: 'is not one of the teams you may export' });
    if (problems.length > 0 || !found)
      throw new BadRequestError('The export cannot be made as asked.', problems);
    const filter: ExportFilter = {
      frameworkId: found.id,
      ...period,
      scope: scopeFor(user, 'caseRecords'),
      ...(query.teamId !== undefined ? { teamId: query.teamId } : {}),
    };
    const versions = await Promise.all(found.versions.map((v) => frameworks.get(found.id, v.version)));
    return { filter, columns: exportColumns(versions.map((v) => v.framework)) };
  }

  return {
    /** What the export form offers the user: every framework, and the teams of their scope. */
    async options(user: ScopedUser) {
      const [list, teams] = await Promise.all([frameworks.list(), teamsOf(user)]);
      return {
        frameworks: list.map((f) => ({ id: f.id, title: f.latest.title })),
        teams: teams.map((t) => ({ id: t.id, name: t.name, active: t.active })),
      };
    },

    /**
     * The export asked for, checked (a 400 naming each field at fault) and logged before a row is read:
     * the audits it holds are chosen now, so the file holds exactly the count the audit log records.
     */
    async download(
      user: ScopedUser,
      query: ExportQuery,
      format: ExportFormat,
      actor: Actor,
    ): Promise<Download> {
      const { filter, columns } = await checked(user, query);
      const revisionIds = await repo.selection(ex, filter);
      await db.transaction((tx) =>
        activityLog.record(tx, actor, {
          action: 'export.download',
          recordType: 'export',
          recordId: filter.frameworkId,
          summary: {
            format,
            from: filter.from,
            to: filter.to,
            teamId: filter.teamId ?? null,
            rows: revisionIds.length,
          },
        }),
      );
      return {
        format,
        filename: `audit-results-${filter.frameworkId}-${filter.from}-to-${filter.to}.${format}`,
        columns,
        rowCount: revisionIds.length,
        async *pages() {
          for (let start = 0; start < revisionIds.length; start += PAGE_SIZE) {
            const audits = await repo.audits(ex, revisionIds.slice(start, start + PAGE_SIZE));
            yield audits.map((audit) => cellsOf(audit, columns));
          }
        },
      };
    },
  };
}
