import { knexOf } from '../db/query';
import { transactionConnection } from '../db/raw-client';
import type { Writable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { Executor } from '../db/transaction';
import type { ParsedCase } from './formats';
import type { ImportProblem } from './types';

/** A row on its way in: a parsed case, or a row left out with its reasons (skip-invalid mode). */
export type StagedRow =
  | {
      kind: 'case';
      parsed: ParsedCase;
      sheet: string;
      line: number;
      precedence: number;
      repeatsAllowed: boolean;
    }
  | {
      kind: 'rejected';
      sheet: string;
      line: number;
      /** What could be read of the row, so the whole-file checks can still name its other problems. */
      caseRef: string | null;
      teamName: string | null;
      repeatsAllowed: boolean;
      reasons: string;
    };

const STAGING_COLUMNS = [
  'rejected',
  'reasons',
  'case_ref',
  'case_type',
  'team_name',
  'worker_name',
  'age_years',
  'gender',
  'ethnicity',
  'disability',
  'legal_status',
  'category_of_abuse',
  'placement_type',
  'uasc',
  'missing_episodes',
  'start_date',
  'closed',
  'restricted',
  'attributes',
  'source_sheet',
  'source_line',
  'precedence',
  'event_date',
  'repeats_allowed',
] as const;

/** COPY text format: backslash escapes for the characters it gives meaning to; \N for null. */
function copyValue(value: unknown): string {
  if (value === undefined || value === null) return '\\N';
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  // Most values need no escaping: test once rather than replace four times.
  if (!/[\\\t\n\r]/.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export function copyLine(row: StagedRow): string {
  const values =
    row.kind === 'rejected'
      ? [
          true,
          row.reasons,
          row.caseRef,
          null,
          row.teamName,
          ...Array<null>(14).fill(null),
          row.sheet,
          row.line,
          0,
          null,
          row.repeatsAllowed,
        ]
      : [
          false,
          null,
          row.parsed.caseRef,
          row.parsed.caseType,
          row.parsed.teamName,
          row.parsed.workerName,
          row.parsed.ageYears,
          row.parsed.gender,
          row.parsed.ethnicity,
          row.parsed.disability,
          row.parsed.legalStatus,
          row.parsed.categoryOfAbuse,
          row.parsed.placementType,
          row.parsed.uasc,
          row.parsed.missingEpisodes,
          row.parsed.startDate,
          row.parsed.closed,
          row.parsed.restricted,
          row.parsed.attributes,
          row.sheet,
          row.line,
          row.precedence,
          row.parsed.eventDate,
          row.repeatsAllowed,
        ];
  return `${values.map(copyValue).join('\t')}\n`;
}

/** running until its transaction ends; failed when that transaction died with its server. */
export type ImportStatus = 'running' | 'imported' | 'refused' | 'failed';

export interface ImportRecord {
  format: 'native' | 'annex-a';
  sourceName: string | null;
  mode: string;
  unknownTeams: string;
  status: ImportStatus;
  userId: number | null;
  rowsRead: number;
  casesImported: number;
  rowsRejected: number;
  problemCount: number;
  problems: ImportProblem[];
  sheets: unknown[];
  teamsCreated: string[];
}

/** The columns of case_import that say how the import went. */
function outcomeColumns(record: ImportRecord) {
  return {
    format: record.format,
    status: record.status,
    rows_read: record.rowsRead,
    cases_imported: record.casesImported,
    rows_rejected: record.rowsRejected,
    problem_count: record.problemCount,
    problems: JSON.stringify(record.problems),
    sheets: JSON.stringify(record.sheets),
    teams_created: record.teamsCreated,
  };
}

/** All SQL of a case import: a temporary staging table filled by COPY, then set-based checks and inserts. */
export const caseImportRepository = {
  /** A staging table that lives until the transaction ends, and a COPY stream into it. */
  async openStaging(tx: Executor): Promise<Writable> {
    // The COPY lasts as long as the upload streams, and the checks scale with the file (bounded by
    // CASE_IMPORT_MAX_MB): the pool's per-statement limit, meant for requests, is lifted for this transaction.
    await knexOf(tx).raw('set local statement_timeout = 0');
    await knexOf(tx).raw(`create temporary table case_staging (
      rejected boolean not null, reasons text, case_ref text, case_type text, team_name text, worker_name text,
      age_years integer, gender text, ethnicity text, disability text, legal_status text, category_of_abuse text,
      placement_type text, uasc boolean, missing_episodes integer, start_date date, closed boolean, restricted boolean,
      attributes jsonb, source_sheet text, source_line integer, precedence integer, event_date date,
      repeats_allowed boolean) on commit drop`);
    const connection = await transactionConnection(tx);
    return connection.query(copyFrom(`copy case_staging (${STAGING_COLUMNS.join(', ')}) from stdin`));
  },

  /**
   * Team names the staging rows use that no team has (case-insensitively): of the rows to import, or of every
   * row that names a team (rows refused for other reasons too, so all their problems are told at once).
   */
  async unknownTeams(tx: Executor, rows: 'accepted' | 'all'): Promise<string[]> {
    const result = await knexOf(tx).raw<{ rows: { team_name: string }[] }>(`
      select min(s.team_name) as team_name from case_staging s
      where s.team_name is not null ${rows === 'accepted' ? 'and not s.rejected' : ''}
        and not exists (select 1 from team t where lower(t.name) = lower(s.team_name))
      group by lower(s.team_name) order by 1`);
    return result.rows.map((r) => r.team_name);
  },

  async createTeams(tx: Executor, names: readonly string[]): Promise<void> {
    const taken = new Set(await knexOf(tx)('team').pluck<string[]>('code'));
    const rows = names.map((name) => {
      const base = `imported-${
        name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '') || 'team'
      }`;
      let code = base;
      for (let n = 2; taken.has(code); n++) code = `${base}-${n}`;
      taken.add(code);
      return { code, name, kind: 'other' };
    });
    if (rows.length > 0) await knexOf(tx)('team').insert(rows);
  },

  /** Rows naming one of these teams (the first `limit` of them, and how many in all), to report. */
  async rowsNamingTeams(tx: Executor, names: readonly string[], limit: number) {
    const result = await knexOf(tx).raw<{
      rows: { source_sheet: string; source_line: number; team_name: string; total: number }[];
    }>(
      `select source_sheet, source_line, team_name, count(*) over () as total from case_staging
       where lower(team_name) = any(?) order by source_sheet, source_line limit ?`,
      [names.map((n) => n.toLowerCase()), limit],
    );
    return result.rows;
  },

  /** Leaves rows naming these teams out, recording why, after any other reason (skip-invalid mode). */
  async rejectRowsNamingTeams(tx: Executor, names: readonly string[], column: string): Promise<void> {
    await knexOf(tx).raw(
      `update case_staging
       set reasons = case when rejected then reasons || '; ' else '' end
                     || ? || ': "' || team_name || '" is not a known team',
           rejected = true
       where lower(team_name) = any(?)`,
      [column, names.map((n) => n.toLowerCase())],
    );
  },

  /**
   * Children on one list more than once where the list allows one row per child: each becomes a problem.
   * Rows refused for other reasons count too, when their reference could be read.
   */
  async duplicates(tx: Executor, limit: number) {
    const result = await knexOf(tx).raw<{
      rows: { case_ref: string; source_sheet: string; lines: number[]; total: number }[];
    }>(
      `select case_ref, source_sheet, array_agg(source_line order by source_line) as lines, count(*) over () as total
       from case_staging where case_ref is not null and not repeats_allowed
       group by case_ref, source_sheet having count(*) > 1 order by source_sheet, min(source_line) limit ?`,
      [limit],
    );
    return result.rows;
  },

  async rejectDuplicates(tx: Executor, column: string): Promise<void> {
    await knexOf(tx).raw(
      `
      update case_staging s
      set reasons = case when s.rejected then s.reasons || '; ' else '' end
                    || ? || ': "' || s.case_ref || '" is on this list more than once (lines ' || d.lines || ')',
          rejected = true
      from (select case_ref, source_sheet, string_agg(source_line::text, ', ' order by source_line) as lines
            from case_staging where case_ref is not null and not repeats_allowed
            group by case_ref, source_sheet having count(*) > 1) d
      where s.case_ref = d.case_ref and s.source_sheet = d.source_sheet`,
      [column],
    );
  },

  /** Staff named as allocated workers who are not yet known are added to their case's team. */
  async createWorkers(tx: Executor): Promise<number> {
    const result = await knexOf(tx).raw<{ rowCount: number }>(`
      insert into person (display_name, team_id)
      select distinct on (lower(s.worker_name)) s.worker_name, t.id
      from case_staging s join team t on lower(t.name) = lower(s.team_name)
      where not s.rejected and s.worker_name is not null
        and not exists (select 1 from person p where lower(p.display_name) = lower(s.worker_name))
      order by lower(s.worker_name), s.source_line`);
    return result.rowCount;
  },

  /**
   * Writes the cases: one per child, taken from the list with the highest precedence (Annex A: the latest
   * list, so a child in care is a child-in-care case) and, within a list, the latest event. A worker is matched
   * by name, preferring one in the case's team.
   */
  async insertCases(tx: Executor, importId: number): Promise<number> {
    // Workers by name: one in the case's team if there is one, else the first of that name (hash joins, not a
    // lookup per row).
    const result = await knexOf(tx).raw<{ rowCount: number }>(
      `with in_team as (
         select distinct on (lower(display_name), team_id) lower(display_name) as name, team_id, id
         from person order by lower(display_name), team_id, id),
       any_team as (
         select distinct on (lower(display_name)) lower(display_name) as name, id
         from person order by lower(display_name), id)
       insert into case_record (import_id, case_ref, case_type, team_id, worker_id, age_years, gender, ethnicity,
         disability, legal_status, category_of_abuse, placement_type, uasc, missing_episodes, start_date, closed,
         restricted, attributes, source_sheet, source_line)
       select distinct on (s.case_ref) ?, s.case_ref, s.case_type, t.id, coalesce(it.id, at.id), s.age_years, s.gender,
         s.ethnicity, s.disability, s.legal_status, s.category_of_abuse, s.placement_type, s.uasc, s.missing_episodes,
         s.start_date, s.closed, s.restricted, s.attributes, s.source_sheet, s.source_line
       from case_staging s
       join team t on lower(t.name) = lower(s.team_name)
       left join in_team it on it.name = lower(s.worker_name) and it.team_id = t.id
       left join any_team at on at.name = lower(s.worker_name)
       where not s.rejected
       order by s.case_ref, s.precedence desc, s.event_date desc nulls last, s.source_line desc`,
      [importId],
    );
    return result.rowCount;
  },

  async insertRejections(tx: Executor, importId: number): Promise<number> {
    const result = await knexOf(tx).raw<{ rowCount: number }>(
      `insert into case_import_rejection (import_id, sheet, line, case_ref, reasons)
       select ?, source_sheet, source_line, case_ref, reasons from case_staging where rejected
       order by source_sheet, source_line`,
      [importId],
    );
    return result.rowCount;
  },

  async insertImport(ex: Executor, record: ImportRecord): Promise<number> {
    const [row] = await knexOf(ex)('case_import')
      .insert({
        source_name: record.sourceName,
        mode: record.mode,
        unknown_teams: record.unknownTeams,
        imported_by_user_id: record.userId,
        ...outcomeColumns(record),
      })
      .returning<{ id: number }[]>('id');
    if (!row) throw new Error('insert returned no id');
    return row.id;
  },

  /**
   * Locks the import's row for the import's transaction, while it is still running: a sweep then leaves it
   * alone. False if a sweep has already marked it failed.
   */
  async claimImport(tx: Executor, id: number): Promise<boolean> {
    const row = await knexOf(tx)('case_import')
      .where({ id, status: 'running' })
      .forUpdate()
      .first<{ id: number } | undefined>('id');
    return row !== undefined;
  },

  /** Marks failed the running imports whose transaction has ended without them (its server died); how many. */
  async failAbandoned(ex: Executor): Promise<number> {
    const result = await knexOf(ex).raw<{ rowCount: number }>(
      `update case_import set status = 'failed', finished_at = now()
       where id in (select id from case_import where status = 'running' for update skip locked)`,
    );
    return result.rowCount;
  },

  async deleteImport(ex: Executor, id: number): Promise<void> {
    await knexOf(ex)('case_import').where({ id }).delete();
  },

  async finishImport(ex: Executor, id: number, record: ImportRecord): Promise<void> {
    await knexOf(ex)('case_import')
      .where({ id })
      .update({ finished_at: knexOf(ex).fn.now(), ...outcomeColumns(record) });
  },
};
