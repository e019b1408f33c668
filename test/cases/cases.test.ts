import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { annexAWorkbook, nativeCsv, nativeRows, nativeWorkbook } from '../support/case-lists';
import { eventMark, eventsSince } from '../support/events';

let ctx: TestContext;
let adminToken: string;
beforeAll(async () => {
  ctx = await createTestContext();
  adminToken = (await ctx.services.tokens.create({ email: DEMO.admin }, SYSTEM_ACTOR)).token;
});
afterAll(() => ctx.close());

const api = () => request(ctx.app);
const asAdmin = (req: request.Test) => req.set('Authorization', `Bearer ${adminToken}`);

/** A post from the upload form: its CSRF token first in the body, as the form sends it. */
async function uploadForm(agent: Awaited<ReturnType<typeof signedInAgent>>) {
  const page = await agent.get('/cases/imports/new').expect(200);
  const token = csrfTokenIn(page.text);
  return () => agent.post('/cases/imports/new').field('_csrf', token);
}

describe('case imports API', () => {
  it('imports a raw CSV body, options in the query string: 201 with the outcome', async () => {
    const res = await asAdmin(api().post('/api/case-imports?filename=cases.csv&unknownTeams=create'))
      .set('Content-Type', 'text/csv')
      .send(nativeCsv(nativeRows(12)))
      .expect(201);
    expect(res.body).toMatchObject({ status: 'imported', format: 'native', casesImported: 12 });
    expect(res.headers.location).toBe(`/api/case-imports/${res.body.id}`);
    const got = await asAdmin(api().get(res.headers.location as string)).expect(200);
    expect(got.body).toMatchObject({ id: res.body.id, sourceName: 'cases.csv', status: 'imported' });
  });

  it('imports a raw XLSX body and a multipart upload', async () => {
    const workbook = await annexAWorkbook();
    await asAdmin(api().post('/api/case-imports?mode=skip-invalid&unknownTeams=create'))
      .set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(workbook)
      .expect(201);
    const multipart = await asAdmin(api().post('/api/case-imports'))
      .field('mode', 'skip-invalid')
      .field('unknownTeams', 'create')
      .attach('file', workbook, 'annex.xlsx')
      .expect(201);
    expect(multipart.body).toMatchObject({ format: 'annex-a', casesImported: 5, rowsRejected: 1 });
  });

  it('answers a list it cannot match with its headers and guesses, and imports it given a mapping', async () => {
    const csv = nativeCsv(nativeRows(3, 80)).replace('case_type', 'Open to (CIN/CP/CLA)');
    const post = (query: string) =>
      asAdmin(api().post(`/api/case-imports?filename=council.csv&${query}`))
        .set('Content-Type', 'text/csv')
        .send(csv);
    const refused = await post('format=native').expect(422);
    expect(refused.body.mappingNeeded[0]).toMatchObject({
      headers: expect.arrayContaining(['Open to (CIN/CP/CLA)']),
      missing: ['case_type'],
      suggestion: { format: 'native', columns: { case_reference: 'case_reference' } },
    });
    const mapping = {
      name: 'API export',
      format: 'native',
      columns: { 'Open to (CIN/CP/CLA)': 'case_type' },
    };
    const imported = await post(`mapping=${encodeURIComponent(JSON.stringify(mapping))}`).expect(201);
    expect(imported.body).toMatchObject({ status: 'imported', casesImported: 3 });
    const byName = await post('mapping=API%20export').expect(201);
    expect(byName.body.sheets[0].mapping).toBe('API export');
    await post('mapping=No%20such%20mapping').expect(422);
  });

  it('answers a refused list with 422 problem details listing each problem', async () => {
    const rows = nativeRows(3, 50);
    (rows[1] as { age: string }).age = 'old';
    const res = await asAdmin(api().post('/api/case-imports?filename=bad.csv'))
      .set('Content-Type', 'text/csv')
      .send(nativeCsv(rows))
      .expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      title: 'The case list was refused',
      status: 422,
      importStatus: 'refused',
      problemCount: 1,
      problems: [
        { sheet: 'bad.csv', line: 3, column: 'age', value: 'old', reason: 'must be a number from 0 to 30' },
      ],
    });
  });

  it('refuses bad options and unsupported bodies', async () => {
    const bad = await asAdmin(api().post('/api/case-imports?mode=some'))
      .set('Content-Type', 'text/csv')
      .send('x')
      .expect(422);
    expect(bad.body.errors).toEqual([
      { field: 'mode', message: 'must be one of all-or-nothing, skip-invalid' },
    ]);
    await asAdmin(api().post('/api/case-imports')).send({ cases: [] }).expect(400);
  });

  it('is for administrators only', async () => {
    const { token } = await ctx.services.tokens.create({ email: DEMO.teamManager }, SYSTEM_ACTOR);
    await api()
      .post('/api/case-imports')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'text/csv')
      .send('x')
      .expect(403);
  });
});

describe('cases API', () => {
  it('lists the latest import, each user within their team scope, and logs the view', async () => {
    await asAdmin(api().post('/api/case-imports'))
      .set('Content-Type', 'text/csv')
      .send(nativeCsv(nativeRows(20, 600)))
      .expect(201);
    const all = await asAdmin(api().get('/api/cases?limit=500')).expect(200);
    // C0000600 to C0000619, five in each of the four teams.
    expect(all.body.total).toBe(20);
    const harry = await ctx.services.users.findByEmail(DEMO.teamManager);
    const { token } = await ctx.services.tokens.create({ email: DEMO.teamManager }, SYSTEM_ACTOR);
    const mark = await eventMark(ctx.db.knex);
    const mine = await api().get('/api/cases?limit=500').set('Authorization', `Bearer ${token}`).expect(200);
    // Harry Chen manages Assessment North: the rows whose number is a multiple of 4.
    expect(mine.body.cases.map((c: { caseRef: string }) => c.caseRef).sort()).toEqual([
      'C0000600',
      'C0000604',
      'C0000608',
      'C0000612',
      'C0000616',
    ]);
    expect(new Set(mine.body.cases.map((c: { teamName: string }) => c.teamName))).toEqual(
      new Set(['Assessment North']),
    );
    expect(await eventsSince(ctx.db.knex, mark, 'case_list.view')).toEqual([
      expect.objectContaining({ actorKind: 'token', actorUserId: harry?.id }),
    ]);
    const director = await ctx.services.tokens.create({ email: DEMO.director }, SYSTEM_ACTOR);
    await api().get('/api/cases').set('Authorization', `Bearer ${director.token}`).expect(403);
  });

  it('shows a head of service the cases of their service area’s teams only, filtered or not', async () => {
    const { token } = await ctx.services.tokens.create({ email: DEMO.headOfService }, SYSTEM_ACTOR);
    const asFiona = (url: string) => api().get(url).set('Authorization', `Bearer ${token}`).expect(200);
    // Fiona Gallagher leads Safeguarding and Family Support: of this list's teams, Family Safeguarding
    // South 1 (the rows whose number leaves 1 when divided by 4).
    const hers = ['C0000601', 'C0000605', 'C0000609', 'C0000613', 'C0000617'];
    const unfiltered = await asFiona('/api/cases?limit=500');
    expect(unfiltered.body.cases.map((c: { caseRef: string }) => c.caseRef).sort()).toEqual(hers);
    expect(unfiltered.body.total).toBe(5);
    const teamId = async (code: string) => (await ctx.db.knex('team').where({ code }).first()).id as number;
    const own = await asFiona(`/api/cases?limit=500&team=${await teamId('family-safeguarding-south-1')}`);
    expect(own.body.cases.map((c: { caseRef: string }) => c.caseRef).sort()).toEqual(hers);
    for (const code of ['assessment-north', 'children-in-care-north', 'leaving-care-north']) {
      const other = await asFiona(`/api/cases?limit=500&team=${await teamId(code)}`);
      expect({ code, cases: other.body.cases, total: other.body.total }).toEqual({
        code,
        cases: [],
        total: 0,
      });
    }
  });

  it('filters by team and case type', async () => {
    const team = await ctx.db.knex('team').where({ code: 'children-in-care-north' }).first();
    const res = await asAdmin(api().get(`/api/cases?team=${team.id}&type=child-in-care`)).expect(200);
    // Of C0000600 to C0000619, the rows whose number leaves 2 when divided by 4 are child in care cases of
    // Children in Care North; no other row is of either.
    expect(res.body.cases.map((c: { caseRef: string }) => c.caseRef).sort()).toEqual([
      'C0000602',
      'C0000606',
      'C0000610',
      'C0000614',
      'C0000618',
    ]);
    const byTeam = await asAdmin(api().get(`/api/cases?team=${team.id}`)).expect(200);
    expect(byTeam.body.total).toBe(5);
    const byType = await asAdmin(api().get('/api/cases?type=child-in-care')).expect(200);
    expect(byType.body.total).toBe(5);
    const otherType = await asAdmin(api().get(`/api/cases?team=${team.id}&type=care-leaver`)).expect(200);
    expect(otherType.body.cases).toEqual([]);
  });
});

describe('case import pages', () => {
  it('import a file through the form and show the outcome', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const post = await uploadForm(agent);
    const res = await post()
      .field('mode', 'all-or-nothing')
      .field('unknownTeams', 'reject')
      .attach('file', Buffer.from(nativeCsv(nativeRows(5, 900))), 'cases.csv')
      .expect(302);
    const page = await agent.get(res.headers.location as string).expect(200);
    expect(page.text).toContain('5 cases imported.');
    expect(page.text).toContain('Case list imported');
  });

  it('show a refused file with an error summary and a table of problems', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const post = await uploadForm(agent);
    const rows = nativeRows(3, 950);
    (rows[2] as { team: string }).team = 'Nowhere Team';
    const res = await post()
      .field('mode', 'all-or-nothing')
      .attach('file', Buffer.from(nativeCsv(rows)), 'teams.csv')
      .expect(302);
    const page = await agent.get(res.headers.location as string).expect(200);
    expect(page.text).toContain('Case list refused');
    expect(page.text).toContain('<a href="#problems">1 problem was found');
    expect(page.text).toContain('Nowhere Team');
  });

  it('offer the rows left out as a CSV report', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const post = await uploadForm(agent);
    const rows = nativeRows(3, 980);
    (rows[0] as { case_type: string }).case_type = 'unknown';
    const res = await post()
      .field('mode', 'skip-invalid')
      .attach('file', Buffer.from(nativeCsv(rows)), 'some.csv')
      .expect(302);
    const id = /\/cases\/imports\/(\d+)/.exec(res.headers.location as string)?.[1];
    const report = await agent.get(`/cases/imports/${id}/rejections.csv`).expect(200);
    expect(report.text).toMatch(
      /^sheet,line,case_reference,reasons\nsome\.csv,2,C0000980,"case_type: must be one of early-help, /,
    );
  });

  it('report a bad row and an unknown team together on the first attempt, through every way in', async () => {
    const rows = nativeRows(4, 1100);
    // The bad row names the unknown team too: its team is checked all the same.
    Object.assign(rows[1] as object, { age: 'old', team: 'Nowhere Team' });
    Object.assign(rows[3] as object, { team: 'Nowhere Team' });
    const csv = Buffer.from(nativeCsv(rows));
    const workbook = await nativeWorkbook(rows);
    const expected = (sheet: string) => [
      expect.objectContaining({ sheet, line: 3, column: 'age', value: 'old' }),
      expect.objectContaining({ sheet, line: 3, column: 'team', value: 'Nowhere Team' }),
      expect.objectContaining({ sheet, line: 5, column: 'team', value: 'Nowhere Team' }),
    ];
    const agent = await signedInAgent(ctx, DEMO.admin);
    const post = await uploadForm(agent);
    for (const [file, name, sheet] of [
      [csv, 'both.csv', 'both.csv'],
      [workbook, 'both.xlsx', 'Cases'],
    ] as const) {
      const form = await post().attach('file', file, name).expect(302);
      const id = Number(/\/cases\/imports\/(\d+)$/.exec(form.headers.location as string)?.[1]);
      expect((await ctx.services.cases.getImport(id)).problems).toEqual(expected(sheet));
      const page = await agent.get(form.headers.location as string).expect(200);
      expect(page.text).toContain('3 problems were found');
      expect(page.text).toContain('Nowhere Team');

      const raw = await asAdmin(api().post(`/api/case-imports?filename=${name}`))
        .set('Content-Type', name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream')
        .send(file)
        .expect(422);
      expect(raw.body.problems).toEqual(expected(sheet));
      const multipart = await asAdmin(api().post('/api/case-imports')).attach('file', file, name).expect(422);
      expect(multipart.body.problems).toEqual(expected(sheet));
    }
  });

  it('ask for a file when none is chosen', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const post = await uploadForm(agent);
    const res = await post().field('mode', 'all-or-nothing').attach('file', Buffer.alloc(0), '').expect(422);
    expect(res.text).toContain('Select a case list file (.csv or .xlsx)');
  });

  it('list imports for admins and cases for team managers, within their teams', async () => {
    const admin = await signedInAgent(ctx, DEMO.admin);
    await admin.get('/cases/imports').expect(200);
    const manager = await signedInAgent(ctx, DEMO.teamManager);
    const page = await manager.get('/cases').expect(200);
    expect(page.text).toContain('Assessment North');
    expect(page.text).not.toContain('Children in Care North</td>');
    await manager.get('/cases/imports').expect(403);
  });
});
