import request from 'supertest';
import { londonDate } from '../../src/dates';
import { addMonths } from '../../src/reporting/months';
import { createTestContext, DEMO, signedInAgent, tokenFor, type TestContext } from '../support/app';
import { csvRows } from '../support/exports';

/** What the export page and API answer to input they cannot use: a 400 naming each field, never a 500. */

const FRAMEWORK_ID = 'childrens-social-care-case-audit';
const CSV = '/api/exports/audit-results.csv';

let ctx: TestContext;
let token: string;
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  token = await tokenFor(ctx, DEMO.admin);
});
afterAll(() => ctx.close());

const api = (address: string) => request(ctx.app).get(address).auth(token, { type: 'bearer' });
const fields = (body: { errors?: { field: string }[] }) => body.errors?.map((e) => e.field);
const DATE_OR_MONTH = 'must be a date (YYYY-MM-DD) or a month (YYYY-MM)';

describe('the export API', () => {
  it.each([
    ['no framework', '', [{ field: 'framework', message: 'is required' }]],
    [
      'an unknown framework',
      '?framework=nope',
      [{ field: 'framework', message: 'is not a framework loaded here' }],
    ],
    [
      'a month that is not one',
      `?framework=${FRAMEWORK_ID}&from=2026-13`,
      [{ field: 'from', message: DATE_OR_MONTH }],
    ],
    [
      'words for a date',
      `?framework=${FRAMEWORK_ID}&from=last%20week`,
      [{ field: 'from', message: DATE_OR_MONTH }],
    ],
    [
      'a day that is not one',
      `?framework=${FRAMEWORK_ID}&to=2026-02-30`,
      [{ field: 'to', message: DATE_OR_MONTH }],
    ],
    [
      'a period ending before it starts',
      `?framework=${FRAMEWORK_ID}&from=2026-05-02&to=2026-05-01`,
      [{ field: 'from', message: 'must not be after to' }],
    ],
    [
      'three years or more',
      `?framework=${FRAMEWORK_ID}&from=2023-01-01&to=2026-01-01`,
      [{ field: 'from', message: 'must be less than three years before to' }],
    ],
    [
      'a team that does not exist',
      `?framework=${FRAMEWORK_ID}&team=999999`,
      [{ field: 'team', message: 'is not one of the teams you may export' }],
    ],
    [
      'a team that cannot be an id',
      `?framework=${FRAMEWORK_ID}&team=abc`,
      [expect.objectContaining({ field: 'team' })],
    ],
    ['a team of 0', `?framework=${FRAMEWORK_ID}&team=0`, [expect.objectContaining({ field: 'team' })]],
    [
      'the framework twice',
      `?framework=${FRAMEWORK_ID}&framework=x`,
      [expect.objectContaining({ field: 'framework' })],
    ],
    [
      'a framework id too long to be one',
      `?framework=${'x'.repeat(101)}`,
      [expect.objectContaining({ field: 'framework' })],
    ],
    [
      'a date too long to be one',
      `?framework=${FRAMEWORK_ID}&to=2026-01-011`,
      [expect.objectContaining({ field: 'to' })],
    ],
  ])('answers %s with a 400 naming the field', async (_what, query, errors) => {
    const res = await api(`${CSV}${query}`)
      .expect(400)
      .expect('Content-Type', /problem\+json/);
    expect(res.body.errors).toEqual(errors);
  });

  it('names every field at fault at once', async () => {
    const res = await api(`${CSV}?from=soon&to=later&team=999999`).expect(400);
    expect(fields(res.body)).toEqual(['framework', 'from', 'to', 'team']);
  });

  it.each(['pdf', 'CSV', 'xlsx.csv', 'json'])('has no file of the format .%s', async (format) => {
    await api(`/api/exports/audit-results.${format}?framework=${FRAMEWORK_ID}`).expect(404);
  });

  it('sends a file with only the header row when no audit is in the period', async () => {
    const res = await api(`${CSV}?framework=${FRAMEWORK_ID}&from=2024-01&to=2024-12`)
      .expect(200)
      .expect('Content-Type', 'text/csv; charset=utf-8')
      .expect('Cache-Control', 'no-store')
      .expect(
        'Content-Disposition',
        `attachment; filename=audit-results-${FRAMEWORK_ID}-2024-01-01-to-2024-12-31.csv`,
      );
    expect(res.text.startsWith('\uFEFFexport_schema,audit_id,case_reference,')).toBe(true);
    expect(csvRows(res)).toHaveLength(1);
  });

  it('needs a signed-in user or a token', async () => {
    await request(ctx.app).get(`${CSV}?framework=${FRAMEWORK_ID}`).expect(401);
  });
});

describe('the export page', () => {
  const thisMonth = londonDate().slice(0, 7);

  it('is a GOV.UK form that works without JavaScript: framework, months, team and format', async () => {
    const agent = await signedInAgent(ctx, DEMO.teamManager);
    const page = await agent.get('/reports/exports').expect(200);
    expect(page.text).toContain('<title>Export audit results – Case Audit</title>');
    expect(page.text).toContain('<form method="get" action="/reports/exports" novalidate>');
    for (const name of ['framework', 'from', 'to', 'team'])
      expect(page.text).toMatch(new RegExp(`<select class="govuk-select" id="${name}" name="${name}"`));
    expect(page.text).toContain(`<option value="${addMonths(thisMonth, -11)}" selected>`);
    expect(page.text).toContain(`<option value="${thisMonth}" selected>`);
    expect(page.text).toMatch(/type="radio" value="csv" checked/);
    expect(page.text).toMatch(/type="radio" value="xlsx"/);
    expect(page.text).toContain('Assessment North');
    expect(page.text).not.toContain('Multi-Agency Safeguarding Hub');
  });

  it('answers a bad choice with the form again, an error summary and the choices kept', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const res = await agent
      .get('/reports/exports')
      .query({ framework: '', from: addMonths(thisMonth, -2), to: addMonths(thisMonth, -4), format: 'xlsx' })
      .expect(400);
    expect(res.text).toContain('<title>Error: Export audit results – Case Audit</title>');
    expect(res.text).toContain('govuk-error-summary');
    expect(res.text).toContain('<a href="#framework">Select a framework</a>');
    expect(res.text).toContain(`<option value="${addMonths(thisMonth, -2)}" selected>`);
    expect(res.text).toMatch(/type="radio" value="xlsx" checked/);
    const reversed = await agent
      .get('/reports/exports')
      .query({ framework: FRAMEWORK_ID, from: addMonths(thisMonth, -2), to: addMonths(thisMonth, -4) })
      .expect(400);
    expect(reversed.text).toContain('<a href="#from">The period must start before it ends</a>');
    const format = await agent
      .get('/reports/exports')
      .query({ framework: FRAMEWORK_ID, format: 'pdf' })
      .expect(400);
    expect(format.text).toContain('<a href="#format">Select CSV or Excel</a>');
    const team = await agent
      .get('/reports/exports')
      .query({ framework: FRAMEWORK_ID, team: 'abc' })
      .expect(400);
    expect(team.text).toContain('<a href="#team">Select one of your teams, or all of them</a>');
  });

  it('answers a good choice with the file', async () => {
    const agent = await signedInAgent(ctx, DEMO.teamManager);
    const res = await agent
      .get('/reports/exports')
      .query({ framework: FRAMEWORK_ID, from: thisMonth, to: thisMonth, format: 'csv' })
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=audit-results-/);
    expect(csvRows(res)[0]?.[0]).toBe('export_schema');
  });
});
