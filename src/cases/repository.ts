import { knexOf } from '../db/query';
import type { TeamScope } from '../auth/scope';
import { applyCaseScope } from '../db/scope';
import type { Executor } from '../db/transaction';
import type { ImportStatus } from './import-repository';
import type { ImportProblem } from './types';

export interface CaseImport {
  id: number;
  format: 'native' | 'annex-a';
  sourceName: string | null;
  mode: string;
  unknownTeams: string;
  status: ImportStatus;
  importedByName: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  rowsRead: number;
  casesImported: number;
  rowsRejected: number;
  problemCount: number;
  problems: ImportProblem[];
  sheets: {
    sheet: string;
    status: string;
    list?: number;
    title?: string;
    caseType?: string;
    rows: number;
    columns?: { header: string; field: string }[];
  }[];
  teamsCreated: string[];
}

interface ImportRow {
  id: number;
  format: CaseImport['format'];
  source_name: string | null;
  mode: string;
  unknown_teams: string;
  status: CaseImport['status'];
  imported_by_name: string | null;
  started_at: Date;
  finished_at: Date | null;
  rows_read: number;
  cases_imported: number;
  rows_rejected: number;
  problem_count: number;
  problems?: ImportProblem[];
  sheets: CaseImport['sheets'];
  teams_created: string[];
}

function toImport(row: ImportRow): CaseImport {
  return {
    id: row.id,
    format: row.format,
    sourceName: row.source_name,
    mode: row.mode,
    unknownTeams: row.unknown_teams,
    status: row.status,
    importedByName: row.imported_by_name,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    rowsRead: row.rows_read,
    casesImported: row.cases_imported,
    rowsRejected: row.rows_rejected,
    problemCount: row.problem_count,
    problems: row.problems ?? [],
    sheets: row.sheets,
    teamsCreated: row.teams_created,
  };
}

function selectImports(ex: Executor, withProblems: boolean) {
  return knexOf(ex)('case_import as i')
    .leftJoin('app_user as u', 'u.id', 'i.imported_by_user_id')
    .select<ImportRow[]>(
      'i.id',
      'i.format',
      'i.source_name',
      'i.mode',
      'i.unknown_teams',
      'i.status',
      'u.display_name as imported_by_name',
      'i.started_at',
      'i.finished_at',
      'i.rows_read',
      'i.cases_imported',
      'i.rows_rejected',
      'i.problem_count',
      'i.sheets',
      'i.teams_created',
      ...(withProblems ? ['i.problems'] : []),
    );
}

export interface CaseFilter {
  importId?: number;
  teamId?: number;
  caseType?: string;
  limit: number;
  offset: number;
}

export interface CaseRow {
  id: number;
  importId: number;
  caseRef: string;
  caseType: string;
  teamId: number;
  teamName: string;
  workerName: string | null;
  ageYears: number | null;
  gender: string | null;
  ethnicity: string | null;
  disability: string | null;
  legalStatus: string | null;
  categoryOfAbuse: string | null;
  placementType: string | null;
  uasc: boolean | null;
  missingEpisodes: number | null;
  startDate: string | null;
  closed: boolean;
  restricted: boolean;
  attributes: Record<string, string | number>;
}

export const caseRepository = {
  async listImports(ex: Executor): Promise<CaseImport[]> {
    return (await selectImports(ex, false).orderBy('i.id', 'desc')).map(toImport);
  },

  /** Imports that imported cases (not those refused), newest first: the lists a round can sample. */
  async listImported(ex: Executor): Promise<CaseImport[]> {
    return (await selectImports(ex, false).where('i.status', 'imported').orderBy('i.id', 'desc')).map(
      toImport,
    );
  },

  async findImport(ex: Executor, id: number): Promise<CaseImport | undefined> {
    const row = await selectImports(ex, true).where('i.id', id).first();
    return row && toImport(row);
  },

  async listCases(
    ex: Executor,
    scope: TeamScope,
    filter: CaseFilter,
  ): Promise<{ cases: CaseRow[]; total: number }> {
    const query = applyCaseScope(
      knexOf(ex)('case_record as c').join('team as t', 't.id', 'c.team_id'),
      scope,
      'c.team_id',
      'c',
    );
    if (filter.importId !== undefined) query.where('c.import_id', filter.importId);
    if (filter.teamId !== undefined) query.where('c.team_id', filter.teamId);
    if (filter.caseType !== undefined) query.where('c.case_type', filter.caseType);
    const [rows, count] = await Promise.all([
      query
        .clone()
        .leftJoin('person as p', 'p.id', 'c.worker_id')
        .select(
          'c.id',
          'c.import_id as importId',
          'c.case_ref as caseRef',
          'c.case_type as caseType',
          'c.team_id as teamId',
          't.name as teamName',
          'p.display_name as workerName',
          'c.age_years as ageYears',
          'c.gender',
          'c.ethnicity',
          'c.disability',
          'c.legal_status as legalStatus',
          'c.category_of_abuse as categoryOfAbuse',
          'c.placement_type as placementType',
          'c.uasc',
          'c.missing_episodes as missingEpisodes',
          'c.start_date as startDate',
          'c.closed',
          'c.restricted',
          'c.attributes',
        )
        .orderBy('c.id')
        .limit(filter.limit)
        .offset(filter.offset),
      query.clone().count<{ count: number }[]>('* as count').first(),
    ]);
    return { cases: rows as CaseRow[], total: count?.count ?? 0 };
  },

  /** The distinct theme values present in an import, for themed-round filters. */
  async attributeValues(ex: Executor, importId: number): Promise<AttributeValues> {
    const distinct = async (column: string) =>
      (
        await knexOf(ex)('case_record')
          .where('import_id', importId)
          .whereNotNull(column)
          .distinct(column)
          .orderBy(column)
          .pluck(column)
      ).map(String);
    return {
      categoriesOfAbuse: await distinct('category_of_abuse'),
      placementTypes: await distinct('placement_type'),
      legalStatuses: await distinct('legal_status'),
    };
  },

  async rejections(
    ex: Executor,
    importId: number,
  ): Promise<{ sheet: string | null; line: number | null; case_ref: string | null; reasons: string }[]> {
    return knexOf(ex)('case_import_rejection')
      .where({ import_id: importId })
      .orderBy('id')
      .select('sheet', 'line', 'case_ref', 'reasons');
  },
};

export interface AttributeValues {
  categoriesOfAbuse: string[];
  placementTypes: string[];
  legalStatuses: string[];
}
