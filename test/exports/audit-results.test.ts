import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { londonDate } from '../../src/dates';
import { FIXED_COLUMNS } from '../../src/exports/columns';
import { FRAMEWORKS_DIR, ROOT_DIR } from '../../src/paths';
import { createTestContext, DEMO, signedInAgent, tokenFor, type TestContext } from '../support/app';
import { FRAMEWORK, moderateAll } from '../support/audits';
import {
  binary,
  csvRows,
  FORMULAS,
  isRunnable,
  submitAuditWithTexts,
  submittedInPeriod,
  xlsxSheets,
} from '../support/exports';

/**
 * Exports of audit results on the demo's data, with two audits of our own made with the framework's older
 * version: one whose free-text answers a spreadsheet would run as formulas, one moderated to other grades.
 */

/** The fixed columns, whose order the unit test of src/exports/columns.ts spells out. */
const FIXED = FIXED_COLUMNS.map((c) => c.key);

interface FileSection {
  id: string;
  graded?: boolean;
  questions: { id: string; type: string }[];
}
const sectionsOf = (file: string): FileSection[] =>
  (JSON.parse(readFileSync(path.join(FRAMEWORKS_DIR, file), 'utf8')) as { sections: FileSection[] }).sections;

/** The framework's columns, worked out from its file: each graded section's grade, then its questions. */
const columnsOf = (sections: FileSection[]) =>
  sections.flatMap((s) => [
    ...(s.graded === false ? [] : [`section_grade:${s.id}`]),
    ...s.questions.map((q) => `answer:${s.id}:${q.id}`),
  ]);

const ADDRESS = `/api/exports/audit-results.csv?framework=${FRAMEWORK.id}`;

let ctx: TestContext;
let hostile: Awaited<ReturnType<typeof submitAuditWithTexts>>;
let moderated: Awaited<ReturnType<typeof submitAuditWithTexts>>;
let adminToken: string;
beforeAll(async () => {
  ctx = await createTestContext({ activity: true });
  hostile = await submitAuditWithTexts(
    ctx,
    FORMULAS.map(([given]) => given),
    { name: 'Formula round' },
  );
  moderated = await submitAuditWithTexts(ctx, ['Seen.'], {
    name: 'Moderated round',
    rank: 1,
    moderate: true,
  });
  const { framework } = await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
  await moderateAll(ctx.services, framework, moderated.auditId, 'inadequate');
  adminToken = await tokenFor(ctx, DEMO.admin);
}, 180_000);
afterAll(() => ctx.close());

const asAdmin = (address: string) => request(ctx.app).get(address).auth(adminToken, { type: 'bearer' });

/** The rows of the admin's CSV export, each as an object by column. */
async function exported(address = ADDRESS) {
  const [header, ...rows] = csvRows(await asAdmin(address).expect(200));
  return {
    header: header as string[],
    rows: rows.map((row) =>
      Object.fromEntries((header as string[]).map((key, i) => [key, row[i] as string])),
    ),
  };
}

describe('an export of audit results', () => {
  it('has the fixed columns, then the framework’s, in its order, all its versions in one file', async () => {
    const { header, rows } = await exported();
    const newest = sectionsOf('childrens-social-care-case-audit-1.1.0.json');
    expect(header).toEqual([...FIXED, ...columnsOf(newest)]);
    expect(new Set(rows.map((r) => r.framework_version))).toEqual(new Set(['1.0.0', '1.1.0']));
    expect(rows.every((r) => r.export_schema === '1' && r.framework_id === FRAMEWORK.id)).toBe(true);
  });

  it('documents the fixed columns in docs/exports.md, in order', () => {
    const docs = readFileSync(path.join(ROOT_DIR, 'docs', 'exports.md'), 'utf8');
    const table = docs.split('## Fixed columns')[1]?.split('\n## ')[0] ?? '';
    expect([...table.matchAll(/^\| \d+ +\| `([a-z_]+)`/gm)].map((m) => m[1])).toEqual(FIXED);
  });

  it('holds one row per audit submitted in the period (its latest submission), no calibration exercise', async () => {
    const { rows } = await exported();
    expect(rows.map((r) => Number(r.audit_id))).toEqual(await submittedInPeriod(ctx, FRAMEWORK.id));
    const calibration: number[] = await ctx.db.knex('audit').whereNotNull('calibration_id').pluck('id');
    expect(calibration.length).toBeGreaterThan(0);
    expect(rows.filter((r) => calibration.includes(Number(r.audit_id)))).toEqual([]);
    const empty = await exported(`${ADDRESS}&from=2020-01&to=2020-12`);
    expect(empty.rows).toEqual([]);
    expect(empty.header.length).toBeGreaterThan(FIXED.length);
  });

  it('gives the grades agreed at moderation, beside the auditor’s own overall grade', async () => {
    const { header, rows } = await exported();
    const row = rows.find((r) => Number(r.audit_id) === moderated.auditId);
    expect(row).toMatchObject({
      case_reference: moderated.caseRef,
      round: 'Moderated round',
      framework_version: '1.0.0',
      submitted_on: londonDate(),
      moderated: 'yes',
      overall_grade: 'inadequate',
      auditor_overall_grade: 'good',
    });
    const grades = header.filter((key) => key.startsWith('section_grade:'));
    expect(grades.length).toBeGreaterThan(5);
    expect(grades.map((key) => row?.[key])).toEqual(grades.map(() => 'inadequate'));
    const plain = rows.find((r) => Number(r.audit_id) === hostile.auditId);
    expect(plain).toMatchObject({ moderated: 'no', overall_grade: 'good', auditor_overall_grade: 'good' });
    expect(grades.map((key) => plain?.[key])).toEqual(grades.map(() => 'good'));
  });

  it('writes each answer as the audit gave it, formulas neutralised', async () => {
    const { rows } = await exported();
    const row = rows.find((r) => Number(r.audit_id) === hostile.auditId) as Record<string, string>;
    const expected: Record<string, string> = {};
    for (const [sectionId, section] of Object.entries(hostile.response.sections ?? {}))
      for (const [questionId, answer] of Object.entries(section.answers ?? {})) {
        const text = Array.isArray(answer)
          ? answer.join('; ')
          : typeof answer === 'object'
            ? JSON.stringify(answer)
            : String(answer);
        expected[`answer:${sectionId}:${questionId}`] =
          FORMULAS.find(([given]) => given === text)?.[1] ?? text;
      }
    expect(Object.keys(expected).length).toBeGreaterThan(40);
    expect(Object.fromEntries(Object.keys(expected).map((key) => [key, row[key]]))).toEqual(expected);
    const texts = Object.values(row);
    for (const [, written] of FORMULAS) expect(texts).toContain(written);
    expect(texts.filter(isRunnable)).toEqual([]);
  });

  it('writes the same rows as an XLSX workbook: text neutralised, never a formula, with its columns explained', async () => {
    const csv = await exported();
    const res = await asAdmin(ADDRESS.replace('.csv', '.xlsx'))
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', /spreadsheetml/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename=audit-results-childrens-social-care-case-audit-\d{4}-\d{2}-01-to-\d{4}-\d{2}-\d{2}\.xlsx$/,
    );
    const { sheets, formulas } = await xlsxSheets(res.body as Buffer);
    expect(formulas).toBe(0);
    expect(sheets.map((s) => s.name)).toEqual(['Audit results', 'Columns']);
    const [results, columns] = sheets as [(typeof sheets)[0], (typeof sheets)[0]];
    const asText = results.rows.map((row) =>
      row.map((cell) => (typeof cell === 'string' || typeof cell === 'number' ? String(cell) : '')),
    );
    // The workbook writes line ends as LF.
    const lf = (text: string | undefined) => text?.replace(/\r\n?/g, '\n');
    expect(asText).toEqual([csv.header, ...csv.rows.map((r) => csv.header.map((key) => lf(r[key])))]);
    const row = results.rows.find((r) => r[1] === hostile.auditId) as unknown[];
    expect(typeof row[1]).toBe('number');
    for (const [, written] of FORMULAS) expect(row).toContain(lf(written));
    const text = results.rows.flat().filter((cell): cell is string => typeof cell === 'string');
    expect(text.filter(isRunnable)).toEqual([]);
    expect(columns.rows.map((r) => r[0])).toEqual(['column', ...csv.header]);
    expect(columns.rows[1]?.[1]).toBe('The layout of this file: 1');
  });

  it('is in the audit log once per download, with its filter and row count and no case content', async () => {
    const team = await ctx.db.knex('team').where({ code: 'assessment-north' }).first('id');
    const before = await ctx.db
      .knex('audit_event')
      .where({ action: 'export.download' })
      .count<{ count: string }[]>();
    const res = await asAdmin(`${ADDRESS}&team=${team.id}&from=2025-12-01&to=${londonDate()}`).expect(200);
    const agent = await signedInAgent(ctx, DEMO.admin);
    await agent
      .get('/reports/exports')
      .query({ framework: FRAMEWORK.id, format: 'xlsx' })
      .buffer(true)
      .parse(binary)
      .expect(200);
    const events = await ctx.db
      .knex('audit_event')
      .where({ action: 'export.download' })
      .orderBy('id', 'desc')
      .limit(2)
      .select('record_type', 'record_id', 'summary', 'actor_token_id');
    expect(
      Number((await ctx.db.knex('audit_event').where({ action: 'export.download' }).count())[0]?.count),
    ).toBe(Number(before[0]?.count) + 2);
    const rows = csvRows(res).length - 1;
    expect(rows).toBeGreaterThan(0);
    expect(events[1]).toMatchObject({
      record_type: 'export',
      record_id: FRAMEWORK.id,
      summary: { format: 'csv', from: '2025-12-01', to: londonDate(), teamId: team.id, rows },
    });
    expect(events[1].actor_token_id).not.toBeNull();
    expect(events[0]).toMatchObject({ summary: { format: 'xlsx', teamId: null }, actor_token_id: null });
    const refs: string[] = await ctx.db.knex('case_record').pluck('case_ref');
    const logged = JSON.stringify(events);
    expect(refs.filter((ref) => logged.includes(ref))).toEqual([]);
    const log = await agent.get('/admin/audit-log').query({ action: 'export.download' }).expect(200);
    expect(log.text).toContain(
      `downloaded the audit results of the framework ${FRAMEWORK.id} (CSV, ${rows} audits`,
    );
  });

  it('puts a new version’s columns first, then those only older versions had', async () => {
    const file = JSON.parse(
      readFileSync(path.join(FRAMEWORKS_DIR, 'childrens-social-care-case-audit-1.1.0.json'), 'utf8'),
    ) as { version: string; sections: FileSection[] };
    const [, second] = file.sections as [FileSection, FileSection];
    // The first text question of the framework: the formula round's first answer.
    const [dropped] = second.questions.splice(
      second.questions.findIndex((q) => q.type === 'text'),
      1,
    ) as [{ id: string; type: string }];
    second.questions.push({ ...dropped, id: 'hp-added' });
    file.version = '2.0.0';
    const outcome = await ctx.services.frameworks.load(
      Buffer.from(JSON.stringify(file)),
      'v2.json',
      'upload',
      SYSTEM_ACTOR,
    );
    expect(outcome.outcome).toBe('created');
    const { header, rows } = await exported();
    const droppedKey = `answer:${second.id}:${dropped.id}`;
    expect(header).toEqual([...FIXED, ...columnsOf(file.sections), droppedKey]);
    const row = rows.find((r) => Number(r.audit_id) === hostile.auditId);
    expect(row?.[droppedKey]).toBe(FORMULAS[0]?.[1]);
    expect(row?.[`answer:${second.id}:hp-added`]).toBe('');
  });
});
