import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import type { AuditResponse } from '../../src/audits/response';
import { londonDate } from '../../src/dates';
import { completeResponse } from '../../src/demo/responses';
import { addMonths } from '../../src/reporting/months';
import { FRAMEWORKS_DIR } from '../../src/paths';
import type { User } from '../../src/users/user';
import { DEMO, type TestContext } from './app';
import { FRAMEWORK, roundForAuditor } from './audits';

/**
 * Free text a spreadsheet would run as a formula, or read as one, and how an export writes it: with a ' in
 * front, which makes it text. Text that looks like a number ("+1", "-5") gets one too: an export writes its
 * numbers as numbers, so such a cell is what somebody typed.
 */
export const FORMULAS: readonly (readonly [given: string, written: string])[] = [
  ['=HYPERLINK("http://example.org","open")', '\'=HYPERLINK("http://example.org","open")'],
  ['+1', "'+1"],
  ['-5', "'-5"],
  ['-2+3', "'-2+3"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\tx', "'\tx"],
  ['\rx', "'\rx"],
];

/** A text cell a spreadsheet would run, or read as something else: one that starts with =, +, -, @, a tab or a carriage return. */
export const isRunnable = (cell: string) => /^[=+\-@\t\r]/.test(cell);

/**
 * Submits, as the demo auditor, one audit of a new round of the framework's version 1.0.0, its text answers
 * `texts` in turn and every graded section at `rank` (0 the best); loads the frameworks first if need be.
 */
export async function submitAuditWithTexts(
  ctx: TestContext,
  texts: readonly string[],
  options: { name: string; rank?: number; moderate?: boolean },
): Promise<{ auditId: number; caseRef: string; teamId: number; response: AuditResponse }> {
  const { services } = ctx;
  if (!(await services.frameworks.list()).some((f) => f.id === FRAMEWORK.id))
    await services.frameworks.loadDirectory(FRAMEWORKS_DIR, SYSTEM_ACTOR);
  const { auditIds } = await roundForAuditor(services, {
    name: options.name,
    moderation: {
      samplePercent: options.moderate ? 100 : 0,
      allInadequate: false,
      allOutstanding: false,
      blind: true,
    },
  });
  const auditId = auditIds[0] as number;
  const { framework } = await services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
  const response = completeResponse(framework, () => options.rank ?? 1);
  let i = 0;
  for (const section of framework.sections)
    for (const question of section.questions)
      if (question.type === 'text' && response.sections?.[section.id]?.answers?.[question.id] !== undefined)
        (response.sections[section.id]?.answers as Record<string, string>)[question.id] = texts[
          i++ % texts.length
        ] as string;
  const auditor = (await services.users.findByEmail(DEMO.auditor)) as User;
  await services.audits.submit(auditId, { version: 0, response }, auditor, SYSTEM_ACTOR);
  const found = await ctx.db
    .knex('audit as a')
    .join('case_record as c', 'c.id', 'a.case_id')
    .where('a.id', auditId)
    .first<{ caseRef: string; teamId: number }>('c.case_ref as caseRef', 'c.team_id as teamId');
  return { auditId, ...found, response };
}

/** A CSV export read back: its rows (the header first), the byte order mark taken off. */
export function csvRows(res: Response): string[][] {
  const rows: string[][] = parse(res.text, { bom: true });
  return rows;
}

/** Supertest's parser for a binary body, such as an XLSX file: the bytes as a Buffer. */
export function binary(res: unknown, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** An XLSX export read back with exceljs: each sheet's cells, row by row, and whether any is a formula. */
export async function xlsxSheets(data: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  let formulas = 0;
  const sheets = workbook.worksheets.map((sheet) => {
    const rows: ExcelJS.CellValue[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      const cells: ExcelJS.CellValue[] = [];
      for (let c = 1; c <= sheet.columnCount; c += 1) {
        const cell = row.getCell(c);
        if (cell.type === ExcelJS.ValueType.Formula || cell.formula) formulas += 1;
        cells.push(cell.value);
      }
      rows.push(cells);
    });
    return { name: sheet.name, rows };
  });
  return { sheets, formulas };
}

/**
 * The audits of the framework whose latest submitted revision was submitted in an export's default period
 * (the twelve months to today), of these teams or all: found without the export's code, in audit order.
 */
export async function submittedInPeriod(
  ctx: TestContext,
  frameworkId: string,
  teamIds?: readonly number[],
): Promise<number[]> {
  const from = `${addMonths(londonDate().slice(0, 7), -11)}-01`;
  const rows = await ctx.db.knex.raw<{ rows: { id: number; teamId: number }[] }>(
    `select a.id, c.team_id as "teamId" from audit a
       join case_record c on c.id = a.case_id
       join framework_version v on v.id = a.framework_version_id
       join (select distinct on (audit_id) audit_id, submitted_at from audit_revision
              where status = 'submitted' order by audit_id, revision desc) last on last.audit_id = a.id
      where v.framework_id = ? and a.calibration_id is null
        and (last.submitted_at at time zone 'Europe/London')::date between ?::date and ?::date
      order by a.id`,
    [frameworkId, from, londonDate()],
  );
  return rows.rows.filter((r) => !teamIds || teamIds.includes(r.teamId)).map((r) => r.id);
}
