import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Actor } from '../activity-log/actor';
import type { ActivityLog } from '../activity-log/service';
import type { Database, Executor } from '../db/transaction';
import { FileRefused } from '../files/refusal';
import { KEY_COLUMNS, NATIVE, detectSheet, normaliseHeader, type SheetSpec } from './formats';
import {
  headerSet,
  likeliestSpec,
  mapColumns,
  mappingFits,
  specOf,
  suggestMapping,
  type ColumnMapping,
} from './mapping';
import { mappingRepository, type SavedMapping } from './mapping-repository';
import { saveMapping } from './mapping-service';
import {
  caseImportRepository as repo,
  copyLine,
  type ImportRecord,
  type ImportStatus,
  type StagedRow,
} from './import-repository';
import { readCsv, readXlsx, type SheetEvent } from './readers';
import { SheetParser, type UnknownValues } from './sheet-parser';
import { Problems } from './problems';
import { PROBLEM_LIMIT, type ImportFormat, type ImportOptions, type ImportProblem } from './types';
import { text } from './values';
import { AppError, ValidationError } from '../errors';

export interface ImportInput {
  stream: Readable;
  kind: 'csv' | 'xlsx';
  /** File name: names the sheet of a CSV, and can say which Annex A list it is ("List 6.csv"). */
  name: string;
}

export interface SheetSummary {
  sheet: string;
  status: 'read' | 'ignored';
  list?: number;
  title?: string;
  caseType?: string;
  rows: number;
  /** Which header was read for which field. */
  columns?: { header: string; field: string }[];
  /** The saved (or sent) mapping the sheet was read with, by name. */
  mapping?: string;
}

/**
 * A sheet Case Audit could not read on its own: its headers and first rows, the best guesses at a mapping
 * (to confirm or correct), the required fields it could not find, and coded values it does not know.
 */
export interface MappingNeed {
  sheet: string;
  headers: string[];
  sampleRows: string[][];
  suggestion: ColumnMapping;
  missing: string[];
  unknownValues: UnknownValues[];
}

/** Rows of each sheet kept for the mapping step's samples (never stored with the import). */
const SAMPLE_ROWS = 5;

export interface ImportOutcome {
  id: number;
  status: 'imported' | 'refused';
  format: ImportFormat;
  rowsRead: number;
  casesImported: number;
  rowsRejected: number;
  problemCount: number;
  problems: ImportProblem[];
  sheets: SheetSummary[];
  teamsCreated: string[];
  /** Said to the admin: a saved mapping used. */
  notes: string[];
  /** When refused: the sheets that a column or value mapping could make readable. */
  mappingNeeded?: MappingNeed[];
}

class Refused extends Error {}

/** Writes COPY lines in batches of about 64 KB, waiting when the database asks it to. */
class CopyWriter {
  private buffer = '';
  private failure: Error | undefined;
  constructor(private readonly stream: Writable) {
    // Kept until the next write: unheard, a connection lost mid-copy would be an uncaught error (a crash).
    stream.on('error', (err: Error) => (this.failure ??= err));
  }

  async write(row: StagedRow): Promise<void> {
    if (this.failure) throw this.failure;
    this.buffer += copyLine(row);
    if (this.buffer.length >= 65536) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (chunk && !this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }
}

/** The format of a sheet: detected from its headers (and name), or as forced, in which case it must fit. */
function specFor(format: ImportFormat | undefined, headers: string[], sheet: string): SheetSpec | undefined {
  const detected = detectSheet(headers, sheet);
  if (!format || detected?.format === format) return detected;
  // Forced native: read it as native, so missing columns are reported by name.
  return format === 'native' ? NATIVE : undefined;
}

/** A sheet as the import met it: enough to offer a mapping for it afterwards. */
interface SeenSheet {
  name: string;
  headers: string[];
  rows: string[][];
  spec: SheetSpec | undefined;
  mapping: ColumnMapping | undefined;
  parser?: SheetParser;
}

/**
 * The mapping a sheet is read with: the first sent that fits its headers, else one saved for them. Saved
 * mappings are loaded before the rows are copied (no query may run on the connection during the copy).
 */
function mappingFor(
  saved: readonly SavedMapping[],
  options: ImportOptions,
  headers: string[],
): { mapping: ColumnMapping; sent: boolean } | undefined {
  const sent = options.mappings?.find((m) => mappingFits(m, headers));
  if (sent) return { mapping: sent, sent: true };
  const { hash } = headerSet(headers);
  const found = saved.find((m) => m.headerHash === hash);
  return found && { mapping: found, sent: false };
}

/** A mapping sent with the import must leave no required field without a header (422, nothing imported). */
function sentMappingError(
  mapping: ColumnMapping,
  spec: SheetSpec,
  headers: string[],
): ValidationError | undefined {
  const { missing } = mapColumns(mapping, spec, headers);
  if (missing.length > 0)
    return new ValidationError(
      `The column mapping cannot be used: no header feeds ${missing.map((c) => c.name).join(', ')}, which ${spec.title} needs. Nothing was imported.`,
      missing.map((c) => ({ field: `columns`, message: `no header feeds ${c.name}` })),
    );
}

function mappingFitsNoSheet(mapping: ColumnMapping, sheets: SeenSheet[]): ValidationError {
  const all = new Set(sheets.flatMap((s) => s.headers.map(normaliseHeader)));
  const absent = Object.keys(mapping.columns).filter((h) => !all.has(normaliseHeader(h)));
  return new ValidationError(
    `The column mapping cannot be used: no sheet has ${absent.length ? `the headers ${absent.map((h) => `"${h}"`).join(', ')}` : 'all the headers it names'}. Nothing was imported.`,
    absent.map((h) => ({ field: `columns.${h}`, message: 'is not a header of the file' })),
  );
}

/**
 * The sheets a mapping could make readable: those missing a required column, those with coded values they
 * do not know, and, when no list was recognised at all, every sheet (with the likeliest list as a guess).
 */
function mappingNeeds(sheets: SeenSheet[], nothingRecognised: boolean): MappingNeed[] {
  return sheets.flatMap((seen): MappingNeed[] => {
    const { parser } = seen;
    const missing = parser?.headerProblems.map((p) => p.column ?? '') ?? [];
    const unknownValues = parser?.unknownValues() ?? [];
    if (!(missing.length > 0 || unknownValues.length > 0 || (!seen.spec && nothingRecognised))) return [];
    const spec = seen.spec ?? likeliestSpec(seen.headers, seen.name);
    const guess = suggestMapping(spec, seen.headers);
    if (parser) {
      guess.columns = Object.fromEntries(
        seen.headers
          .filter((h) => h.trim())
          .map((h) => [h, parser.matched.find((m) => m.header === h)?.field ?? null]),
      );
    }
    guess.values = seen.mapping?.values ?? {};
    if (!seen.spec)
      missing.push(
        ...spec.columns
          .filter((c) => c.column && !Object.values(guess.columns).includes(c.name))
          .map((c) => c.name),
      );
    return [
      {
        sheet: seen.name,
        headers: seen.headers,
        sampleRows: seen.rows,
        suggestion: guess,
        missing,
        unknownValues,
      },
    ];
  });
}

export interface ImportProgress {
  rowsRead: number;
}

export function createCaseImporter(db: Database, activityLog: ActivityLog) {
  /** Reads every sheet, staging good rows and (in skip-invalid mode) bad ones; returns what it saw. */
  async function stage(
    tx: Executor,
    input: ImportInput,
    options: ImportOptions,
    problems: Problems,
    actor: Actor,
    onProgress?: (p: ImportProgress) => void,
  ) {
    const savedMappings = await mappingRepository.list(tx);
    /** Mappings sent with a name, saved (after the copy) with the headers they were used for. */
    const toSave: { mapping: ColumnMapping & { name: string }; headers: string[] }[] = [];
    let mappingError: ValidationError | undefined;
    const writer = new CopyWriter(await repo.openStaging(tx));
    const sheets: SheetSummary[] = [];
    const seenSheets: SeenSheet[] = [];
    const notes: string[] = [];
    const usedMappings = new Set<ColumnMapping>();
    let seenSheet: SeenSheet | undefined;
    let format: ImportFormat | undefined;
    let parser: SheetParser | undefined;
    let summary: SheetSummary | undefined;
    let rowsRead = 0;
    const events: AsyncIterator<SheetEvent> = (
      input.kind === 'xlsx' ? readXlsx(input.stream) : readCsv(input.stream, input.name)
    )[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<SheetEvent>;
      try {
        next = await events.next();
      } catch (err) {
        // The file itself cannot be read further (CSV quoting, a damaged workbook, a limit passed): nothing
        // can be trusted. A refusal says what and where in words of its own; a parser's error needs saying.
        const refusal = err instanceof FileRefused ? err : undefined;
        problems.add({
          sheet: refusal?.position.sheet ?? input.name,
          line: refusal?.position.line ?? (err as { lines?: number }).lines ?? null,
          column: null,
          value: null,
          reason: refusal ? refusal.message : `the file cannot be read: ${(err as Error).message}`,
        });
        problems.fatal = true;
        break;
      }
      if (next.done) break;
      const event = next.value;
      if (event.type === 'sheet') {
        const headers = event.header.map((cell) => text(cell) ?? '');
        const mapping = mappingFor(savedMappings, options, headers);
        if (mapping?.sent) usedMappings.add(mapping.mapping);
        const spec = mapping ? specOf(mapping.mapping) : specFor(options.format, headers, event.name);
        seenSheet = { name: event.name, headers, rows: [], spec, mapping: mapping?.mapping };
        seenSheets.push(seenSheet);
        if (!spec) {
          sheets.push({ sheet: event.name, status: 'ignored', rows: 0 });
          parser = undefined;
          continue;
        }
        if (mapping?.sent) {
          // Thrown once the copy has ended: the connection must finish it before anything else.
          mappingError = sentMappingError(mapping.mapping, spec, headers);
          if (mappingError) break;
          const { name } = mapping.mapping;
          if (name) toSave.push({ mapping: { ...mapping.mapping, name }, headers });
        }
        format ??= spec.format;
        parser = new SheetParser(spec, event.name, event.header, event.line, mapping?.mapping);
        seenSheet.parser = parser;
        summary = {
          sheet: event.name,
          status: 'read',
          list: spec.list,
          title: spec.title,
          caseType: spec.caseType,
          rows: 0,
          columns: parser.matched,
          ...(mapping?.mapping.name ? { mapping: mapping.mapping.name } : {}),
        };
        sheets.push(summary);
        if (mapping && !mapping.sent)
          notes.push(`The saved mapping “${mapping.mapping.name}” was used for the sheet ${event.name}.`);
        if (parser.headerProblems.length > 0) {
          problems.add(...parser.headerProblems);
          problems.fatal = true;
          parser = undefined;
        }
        continue;
      }
      if (seenSheet && seenSheet.rows.length < SAMPLE_ROWS)
        seenSheet.rows.push(event.cells.map((cell) => text(cell) ?? ''));
      if (!parser || !summary) continue;
      rowsRead += 1;
      summary.rows += 1;
      if (onProgress && rowsRead % 5000 === 0) onProgress({ rowsRead });
      const result = parser.parse(event.cells, event.line);
      if (result.ok) {
        const { spec } = parser;
        await writer.write({
          kind: 'case',
          parsed: result.parsed,
          sheet: parser.sheet,
          line: event.line,
          precedence: spec.precedence,
          repeatsAllowed: spec.repeatsAllowed,
        });
      } else {
        problems.add(...result.problems);
        // Staged whatever the mode: the whole-file checks name its other problems in the same pass.
        await writer.write({
          kind: 'rejected',
          sheet: parser.sheet,
          line: event.line,
          caseRef: result.parsed.caseRef || null,
          teamName: result.parsed.teamName || null,
          repeatsAllowed: parser.spec.repeatsAllowed,
          reasons: result.problems.map((p) => `${p.column ?? ''}: ${p.reason}`).join('; '),
        });
      }
    }
    await writer.end();
    if (mappingError) throw mappingError;
    // Saved with the import: undone with it if the list is refused.
    /** Said only if the import goes ahead (a refusal undoes the save). */
    const saved: string[] = [];
    for (const { mapping, headers } of problems.fatal ? [] : toSave) {
      await saveMapping(tx, activityLog, mapping, headers, actor);
      saved.push(`The mapping “${mapping.name}” was saved: files with these headers will use it.`);
    }
    onProgress?.({ rowsRead });
    const unused = (options.mappings ?? []).filter((m) => !usedMappings.has(m));
    if (unused.length > 0 && !problems.fatal)
      throw mappingFitsNoSheet(unused[0] as ColumnMapping, seenSheets);
    if (!format && !problems.fatal) {
      problems.add({
        sheet: input.name,
        line: null,
        column: null,
        value: null,
        reason:
          options.format === 'annex-a'
            ? 'no Annex A list 3 to 9 was recognised: name each sheet (or the CSV file) "List 6" and so on, or keep the list\'s own column headers'
            : 'no case list was found: the headers match neither the native CSV (case_reference, case_type, team…) nor an Annex A list (3 to 9)',
      });
      problems.fatal = true;
    }
    return {
      sheets,
      format: format ?? options.format ?? 'native',
      rowsRead,
      notes,
      saved,
      mappingNeeded: mappingNeeds(seenSheets, !format),
    };
  }

  /**
   * The checks only the whole file can answer: repeated children, and teams nobody has heard of. They cover
   * rows refused for other reasons too, so every problem of a file is told at once.
   */
  async function checkStaged(
    tx: Executor,
    options: ImportOptions,
    problems: Problems,
    seen: { format: ImportFormat; sheets: SheetSummary[] },
  ): Promise<string[]> {
    const columns = KEY_COLUMNS[seen.format];
    const found = new Problems();
    const duplicates = await repo.duplicates(tx, PROBLEM_LIMIT);
    found.add(
      ...duplicates.map((d) => ({
        sheet: d.source_sheet,
        line: d.lines[1] ?? null,
        column: columns.ref,
        value: d.case_ref,
        reason: `is on this list more than once (lines ${d.lines.join(', ')})`,
      })),
    );
    found.addUnlisted(Number(duplicates[0]?.total ?? 0) - duplicates.length);
    if (duplicates.length > 0 && options.mode === 'skip-invalid')
      await repo.rejectDuplicates(tx, columns.ref);

    let teamsCreated: string[] = [];
    if (options.unknownTeams === 'create') {
      teamsCreated = await repo.unknownTeams(tx, 'accepted');
      await repo.createTeams(tx, teamsCreated);
    } else {
      const unknown = await repo.unknownTeams(tx, 'all');
      if (unknown.length > 0) {
        const rows = await repo.rowsNamingTeams(tx, unknown, PROBLEM_LIMIT);
        found.add(
          ...rows.map((r) => ({
            sheet: r.source_sheet,
            line: r.source_line,
            column: columns.team,
            value: r.team_name,
            reason: 'is not a known team (import with unknown teams created, or add the team first)',
          })),
        );
        found.addUnlisted(Number(rows[0]?.total ?? 0) - rows.length);
        if (options.mode === 'skip-invalid') await repo.rejectRowsNamingTeams(tx, unknown, columns.team);
      }
    }
    problems.merge(
      found,
      seen.sheets.map((s) => s.sheet),
    );
    return teamsCreated;
  }

  /**
   * An import that ended in an error rather than an outcome: forgotten if the request was at fault (nothing
   * was imported, and the answer says why), else failed. Best effort: with the database gone, the sweep
   * marks it failed later.
   */
  async function endUnfinished(id: number, err: unknown, failed: ImportRecord): Promise<void> {
    await (
      err instanceof AppError
        ? repo.deleteImport(db.executor, id)
        : repo.finishImport(db.executor, id, failed)
    ).catch(() => undefined);
  }

  return {
    /** Marks failed the imports left running by a server that died part-way through them; how many. */
    failAbandoned: () => repo.failAbandoned(db.executor),

    /**
     * Imports a case list as a population snapshot, in one transaction. All or nothing: any problem refuses
     * the file and writes no cases (the refusal itself is recorded, with its problems). Skip-invalid: good rows
     * are imported and bad ones kept, with their reasons, for the rejection report.
     */
    async importCases(
      input: ImportInput,
      options: ImportOptions,
      actor: Actor,
      onProgress?: (p: ImportProgress) => void,
    ): Promise<ImportOutcome> {
      const problems = new Problems();
      let seen: {
        sheets: SheetSummary[];
        format: ImportFormat;
        rowsRead: number;
        notes: string[];
        saved: string[];
        mappingNeeded: MappingNeed[];
      } = {
        sheets: [],
        format: options.format ?? 'native',
        rowsRead: 0,
        notes: [],
        saved: [],
        mappingNeeded: [],
      };
      const record = (status: ImportStatus, extra: Partial<ImportRecord> = {}): ImportRecord => ({
        format: seen.format,
        sourceName: options.sourceName,
        mode: options.mode,
        unknownTeams: options.unknownTeams,
        status,
        userId: actor.userId,
        rowsRead: seen.rowsRead,
        casesImported: 0,
        rowsRejected: 0,
        problemCount: problems.count,
        problems: problems.items,
        sheets: seen.sheets,
        teamsCreated: [],
        ...extra,
      });
      // Recorded as running before it starts, so an import its server died in shows afterwards as failed.
      const id = await repo.insertImport(db.executor, record('running'));
      try {
        return await db.transaction(async (tx) => {
          if (!(await repo.claimImport(tx, id))) throw new Error('the import was marked failed as it began');
          seen = await stage(tx, input, options, problems, actor, onProgress);
          if (problems.fatal) throw new Refused();
          const teamsCreated = await checkStaged(tx, options, problems, seen);
          if (problems.count > 0 && options.mode === 'all-or-nothing') throw new Refused();
          await repo.createWorkers(tx);
          const casesImported = await repo.insertCases(tx, id);
          const rowsRejected = await repo.insertRejections(tx, id);
          const final = record('imported', { casesImported, rowsRejected, teamsCreated });
          await repo.finishImport(tx, id, final);
          await activityLog.record(tx, actor, {
            action: 'case_import.create',
            recordType: 'case_import',
            recordId: id,
            summary: {
              after: {
                format: final.format,
                rowsRead: final.rowsRead,
                casesImported,
                rowsRejected,
                problemCount: final.problemCount,
                teamsCreated,
              },
            },
          });
          return {
            id,
            status: 'imported',
            format: final.format,
            rowsRead: final.rowsRead,
            casesImported,
            rowsRejected,
            problemCount: final.problemCount,
            problems: final.problems,
            sheets: seen.sheets,
            teamsCreated,
            notes: [...seen.notes, ...seen.saved],
          };
        });
      } catch (err) {
        if (!(err instanceof Refused)) {
          await endUnfinished(id, err, record('failed'));
          throw err;
        }
        const refused = record('refused');
        await db.transaction(async (tx) => {
          await repo.finishImport(tx, id, refused);
          await activityLog.record(tx, actor, {
            action: 'case_import.refuse',
            recordType: 'case_import',
            recordId: id,
            summary: {
              after: {
                format: refused.format,
                rowsRead: refused.rowsRead,
                problemCount: refused.problemCount,
              },
            },
          });
        });
        return {
          id,
          status: 'refused',
          format: refused.format,
          rowsRead: refused.rowsRead,
          casesImported: 0,
          rowsRejected: 0,
          problemCount: refused.problemCount,
          problems: refused.problems,
          sheets: seen.sheets,
          teamsCreated: [],
          notes: seen.notes,
          ...(seen.mappingNeeded.length > 0 ? { mappingNeeded: seen.mappingNeeded } : {}),
        };
      }
    },
  };
}
