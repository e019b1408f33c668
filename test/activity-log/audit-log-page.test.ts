import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { londonDate } from '../../src/dates';
import {
  createTestContext,
  csrfTokenIn,
  DEMO,
  signedInAgent,
  tokenFor,
  type TestContext,
} from '../support/app';
import { roundForAuditor } from '../support/audits';

let ctx: TestContext;
let admin: TestAgent;
let auditId: number;
let caseRef: string;
let harryId: number;
let aishaId: number;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  const round = await roundForAuditor(ctx.services, { name: 'Log round' });
  auditId = round.auditIds[0] as number;
  aishaId = round.auditorId;
  caseRef = (
    await ctx.db
      .knex('audit as a')
      .join('case_record as c', 'c.id', 'a.case_id')
      .where('a.id', auditId)
      .first('c.case_ref')
  ).case_ref;
  const aisha = await signedInAgent(ctx, DEMO.auditor);
  const csrf = csrfTokenIn((await aisha.get('/').expect(200)).text);
  await aisha
    .put(`/api/audits/${auditId}`)
    .set('X-CSRF-Token', csrf)
    .send({ version: 0, response: {} })
    .expect(200);
  harryId = (await ctx.services.users.findByEmail(DEMO.teamManager))?.id as number;
  admin = await signedInAgent(ctx, DEMO.admin);
  const form = await admin.get(`/admin/users/${harryId}/roles`).expect(200);
  await admin
    .post(`/admin/users/${harryId}/roles`)
    .type('form')
    .send({ _csrf: csrfTokenIn(form.text), roles: ['team_manager', 'auditor', 'moderator'], teamIds: '2' })
    .expect(303);
});
afterAll(() => ctx.close());

const rowsOf = (html: string): string[] =>
  [...html.matchAll(/<p class="govuk-body govuk-!-margin-bottom-1">([^<]+)<\/p>/g)].map(
    (m) => m[1] as string,
  );

describe('the audit log page', () => {
  it('puts each entry into words, with a link to its record and the raw detail on demand', async () => {
    const page = await admin.get('/admin/audit-log').expect(200);
    expect(rowsOf(page.text)).toEqual(
      expect.arrayContaining([
        `Aisha Khan saved a draft of the audit of case ${caseRef}`,
        'Sam Patel changed Harry Chen’s roles',
        'The system created the audit round “Log round”',
      ]),
    );
    expect(page.text).toContain(
      `<a class="govuk-link" href="/audits/${auditId}">The audit of case ${caseRef}</a>`,
    );
    expect(page.text).toContain(`<a class="govuk-link" href="/admin/users/${harryId}">Harry Chen</a>`);
    expect(page.text).toContain('<details class="govuk-details');
    expect(page.text).toContain('&quot;moderator&quot;');
  });

  it.each([
    [
      'person',
      () => `user=${aishaId}`,
      (rows: string[]) => rows.length > 0 && rows.every((r) => r.startsWith('Aisha Khan')),
    ],
    [
      'action',
      () => 'action=user.update',
      (rows: string[]) => rows.length === 1 && rows[0] === 'Sam Patel changed Harry Chen’s roles',
    ],
    [
      'record',
      () => `recordType=audit&recordId=${auditId}`,
      (rows: string[]) => rows.length > 0 && rows.every((r) => r.includes(`audit of case ${caseRef}`)),
    ],
    [
      'date range including today',
      () => {
        const [y, m, d] = londonDate().split('-');
        return `from-day=${d}&from-month=${m}&from-year=${y}&to-day=${d}&to-month=${m}&to-year=${y}`;
      },
      (rows: string[]) => rows.length > 5,
    ],
    [
      'date range from tomorrow',
      () => {
        const [y, m, d] = londonDate(1).split('-');
        return `from-day=${d}&from-month=${m}&from-year=${y}`;
      },
      (rows: string[]) => rows.length === 0,
    ],
  ])('filters by %s, keeping the filter in the form', async (_name, query, check) => {
    const page = await admin.get(`/admin/audit-log?${query()}`).expect(200);
    expect(check(rowsOf(page.text))).toBe(true);
    expect(page.text).toContain('Clear the filters');
  });

  it.each([
    ['from-day=31&from-month=2&from-year=2026', '#from-day', 'The start date must be a real date'],
    ['from-day=3&from-year=2026', '#from-day', 'The start date must include a month'],
    ['to-day=x&to-month=1&to-year=2026', '#to-day', 'The end date must be a real date'],
    [
      'from-day=2&from-month=1&from-year=2026&to-day=1&to-month=1&to-year=2026',
      '#to-day',
      'The end date must be the same as or after the start date',
    ],
  ])('refuses the dates %s with an error summary linked to the field', async (query, anchor, message) => {
    const page = await admin.get(`/admin/audit-log?${query}`).expect(400);
    expect(page.text).toContain(`href="${anchor}">${message}</a>`);
    expect(page.text).toContain('govuk-input--error');
    expect(rowsOf(page.text)).toEqual([]);
  });

  it.each([
    'action=nope.never',
    'action=user.update&action=audit.view',
    'recordType=secret',
    'user=abc',
    'page=0',
  ])('answers a malformed query (%s) with 400', async (query) => {
    await admin.get(`/admin/audit-log?${query}`).expect(400);
  });

  it('pages through many entries, keeping the filters, and says which page in the title', async () => {
    for (let i = 0; i < 55; i++) await ctx.services.activityLog.recordView(SYSTEM_ACTOR, 'audit_round', 1);
    const first = await admin.get('/admin/audit-log?action=audit_round.view').expect(200);
    expect(first.text).toContain('<title>Audit log (page 1 of 2) – Case Audit</title>');
    expect(first.text.replace(/&#x3D;/g, '=')).toContain(
      'href="/admin/audit-log?action=audit_round.view&amp;page=2"',
    );
    const second = await admin.get('/admin/audit-log?action=audit_round.view&page=2').expect(200);
    expect(rowsOf(second.text).length).toBeGreaterThanOrEqual(5);
    expect(second.text).toContain('Showing 51 to');
  });
});

describe('the audit log API', () => {
  it('answers the same filters with readable entries', async () => {
    const token = await tokenFor(ctx, DEMO.admin);
    const res = await request(ctx.app)
      .get(`/api/audit-log?recordType=app_user&recordId=${harryId}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(res.body.events[0]).toMatchObject({
      action: 'user.update',
      sentence: 'Sam Patel changed Harry Chen’s roles',
      record: { href: `/admin/users/${harryId}`, text: 'Harry Chen' },
    });
    await request(ctx.app)
      .get('/api/audit-log?from-day=40&from-month=1&from-year=2026')
      .set('Authorization', `Bearer ${token}`)
      .expect(400);
  });
});
