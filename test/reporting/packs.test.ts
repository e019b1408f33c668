import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { londonDate } from '../../src/dates';
import { formatFigure } from '../../src/reporting/statistics';
import { createTestContext, DEMO, tokenFor, type TestContext } from '../support/app';

/**
 * The board pack for the demo's month, made over the API, read back with poppler: tagged, and saying the
 * same numbers as the summary API; stored as made, versioned, its downloads logged; the schedule's pack made
 * once however many servers run it.
 */
let ctx: TestContext;
let director: string;
const month = londonDate().slice(0, 7);
const dir = mkdtempSync(path.join(tmpdir(), 'case-audit-pack-'));

beforeAll(async () => {
  ctx = await createTestContext({ activity: true });
  director = await tokenFor(ctx, DEMO.director);
}, 120_000);
afterAll(() => ctx.close());

const api = () => request(ctx.app);
const poppler = (tool: string, file: string, ...args: string[]) =>
  execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });

describe('the board pack', () => {
  let pdfPath: string;
  let packId: number;

  it('is made for a month, stored with its hash, and listed', async () => {
    const made = await api()
      .post('/api/packs')
      .auth(director, { type: 'bearer' })
      .send({ month })
      .expect(201);
    expect(made.body).toMatchObject({ version: 1 });
    packId = made.body.id as number;
    const list = await api().get('/api/packs').auth(director, { type: 'bearer' }).expect(200);
    expect(list.body.packs[0]).toMatchObject({ id: packId, month, version: 1, scope: 'all' });
    expect(list.body.packs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const pdf = await api()
      .get(`/api/packs/${packId}.pdf`)
      .auth(director, { type: 'bearer' })
      .buffer(true)
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    pdfPath = path.join(dir, 'pack.pdf');
    writeFileSync(pdfPath, pdf.body as Buffer);
  }, 60_000);

  it('is a tagged PDF in English with its fonts embedded', () => {
    const info = poppler('pdfinfo', pdfPath);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Title:\s+Case audit board pack/);
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(5);
    const fonts = poppler('pdffonts', pdfPath).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/\byes\s+yes\s+yes\b/);
  });

  it('says the same numbers as the summary API for the month', async () => {
    const summary = await api()
      .get('/api/reports/summary')
      .query({ from: `${month}-01`, to: londonDate() })
      .auth(director, { type: 'bearer' })
      .expect(200);
    const text = poppler('pdftotext', pdfPath, '-layout').replace(/\s+/g, ' ');
    expect(text).toContain(`${summary.body.grades.submitted.display} audits were submitted`);
    expect(text).toContain(`${formatFigure(summary.body.grades.goodOrBetter)} were good or better`);
    expect(text).toContain(`${formatFigure(summary.body.grades.inadequate)} were inadequate`);
    expect(text).toContain('Each round’s sample is drawn at random');
  });

  it('is also a web page with the same numbers, allowed its own style sheet and nothing else, and logged', async () => {
    const page = await api().get(`/api/packs/${packId}.html`).auth(director, { type: 'bearer' }).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
    expect(page.text).toContain('<html lang="en-GB">');
    expect(page.text).not.toMatch(/<script/);
    const pdfText = poppler('pdftotext', pdfPath, '-layout').replace(/\s+/g, ' ');
    const submitted = /(\S+) audits were submitted/.exec(pdfText)?.[1];
    expect(page.text).toContain(`${submitted} audits were submitted`);
    const logged = await ctx.db
      .knex('audit_event')
      .where({ action: 'report_pack.download', record_id: String(packId) })
      .orderBy('id');
    expect(logged.map((e) => e.summary?.after?.format)).toEqual(['pdf', 'html']);
    const manager = await tokenFor(ctx, DEMO.teamManagerOnly);
    await api().get(`/api/packs/${packId}.html`).auth(manager, { type: 'bearer' }).expect(404);
  });

  it('logs each download, refuses it to those it does not cover, and adds a version when made again', async () => {
    const logged = await ctx.db
      .knex('audit_event')
      .where({ action: 'report_pack.download', record_id: String(packId) });
    expect(logged).toHaveLength(2);
    const manager = await tokenFor(ctx, DEMO.teamManagerOnly);
    await api().get(`/api/packs/${packId}.pdf`).auth(manager, { type: 'bearer' }).expect(404);
    expect((await api().get('/api/packs').auth(manager, { type: 'bearer' })).body.packs).toEqual([]);
    await api()
      .get(`/api/packs/${packId}.pdf`)
      .auth(await tokenFor(ctx, DEMO.auditor), { type: 'bearer' })
      .expect(403);
    const again = await api()
      .post('/api/packs')
      .auth(director, { type: 'bearer' })
      .send({ month })
      .expect(201);
    expect(again.body.version).toBe(2);
    const bad = await api().post('/api/packs').auth(director, { type: 'bearer' }).send({ month: '2099-01' });
    expect(bad.status).toBe(422);
  }, 60_000);

  it('is made by the schedule once, even when two servers run it at once, and the directors are told', async () => {
    const made = await Promise.all([
      ctx.services.packs.makeScheduled(SYSTEM_ACTOR),
      ctx.services.packs.makeScheduled(SYSTEM_ACTOR),
    ]);
    expect(made.filter(Boolean)).toHaveLength(1);
    expect(await ctx.services.packs.makeScheduled(SYSTEM_ACTOR)).toBeUndefined();
    const scheduled = await ctx.db.knex('report_pack').whereNull('created_by_user_id');
    expect(scheduled).toHaveLength(1);
    const told = await ctx.db.knex('notification').where({ kind: 'report.pack' });
    expect(told.length).toBeGreaterThan(0);
  }, 60_000);
});
