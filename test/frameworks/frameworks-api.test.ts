import fc from 'fast-check';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { CONTENT_TYPES, exportFramework } from '../../src/frameworks/spreadsheet';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { completeResponse, sampleFramework } from '../support/frameworks';

let ctx: TestContext;
let adminToken: string;
let auditorToken: string;
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  adminToken = (await ctx.services.tokens.create({ email: DEMO.admin }, SYSTEM_ACTOR)).token;
  auditorToken = (await ctx.services.tokens.create({ email: DEMO.auditor }, SYSTEM_ACTOR)).token;
});
afterAll(() => ctx.close());

const SHIPPED = ['care-leavers-pathway', 'child-protection-thematic', 'childrens-social-care-case-audit'];
const asAdmin = (req: request.Test) => req.set('Authorization', `Bearer ${adminToken}`);

async function uploadForm(agent: Awaited<ReturnType<typeof signedInAgent>>) {
  const page = await agent.get('/frameworks/upload').expect(200);
  const token = csrfTokenIn(page.text);
  // The token first in the body, as the form sends it.
  return { token, post: () => agent.post('/frameworks/upload').field('_csrf', token) };
}

describe('frameworks pages', () => {
  it('list the shipped frameworks for anyone who audits or manages', async () => {
    const agent = await signedInAgent(ctx, DEMO.auditor);
    const res = await agent.get('/frameworks').expect(200);
    // Each at its latest version (1.1.0 pre-fills the case profile; 1.0.0 is kept for its audits).
    for (const id of SHIPPED) expect(res.text).toContain(`/frameworks/${id}/versions/1.1.0`);
    expect(res.text).not.toContain('Upload a framework');
  });

  it('preview a framework as an auditor will meet it', async () => {
    const agent = await signedInAgent(ctx, DEMO.moderator);
    const res = await agent.get('/frameworks/childrens-social-care-case-audit/versions/1.0.0').expect(200);
    expect(res.text).toContain('cannot be better than the grade for');
    expect(res.text).toContain('Only asked when “');
    expect(res.text).toContain('What each grade looks like in');
    expect(res.text).toContain('management response within 5 working days');
    // The framework names no re-audit, so the default applies.
    expect(res.text).toContain(
      'When every action is verified and the record closes, a re-audit of the case is due 40 working days later.',
    );
    expect((res.text.match(/<h3 class="govuk-heading-s/g) ?? []).length).toBe(80);
  });

  it('list versions and download each format', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    await agent.get('/frameworks/care-leavers-pathway').expect(200);
    const csv = await agent.get('/frameworks/care-leavers-pathway/versions/1.0.0/download.csv').expect(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename=care-leavers-pathway-1.0.0.csv');
    expect(csv.text.startsWith('[Framework]\nfield,value\nid,care-leavers-pathway\n')).toBe(true);
    const xlsx = await agent
      .get('/frameworks/care-leavers-pathway/versions/1.0.0/download.xlsx')
      .buffer(true)
      .expect(200);
    expect(xlsx.headers['content-type']).toBe(CONTENT_TYPES.xlsx);
    await agent.get('/frameworks/care-leavers-pathway/versions/1.0.0/download.pdf').expect(404);
    await agent.get('/frameworks/nope').expect(404);
    await agent.get('/frameworks/care-leavers-pathway/versions/9.0.0').expect(404);
  });

  it('are closed to directors', async () => {
    const agent = await signedInAgent(ctx, DEMO.director);
    await agent.get('/frameworks').expect(403);
  });
});

describe('uploading a framework in the browser', () => {
  it('loads a valid file and says so', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await uploadForm(agent);
    const file = JSON.stringify({ ...sampleFramework(), version: '1.0.0' });
    const res = await form.post().attach('file', Buffer.from(file), 'sample.json').expect(302);
    expect(res.headers.location).toBe('/frameworks/sample-audit/versions/1.0.0');
    const page = await agent.get(res.headers.location as string).expect(200);
    expect(page.text).toContain('Sample audit version 1.0.0 is loaded.');
    expect(page.text).toContain('govuk-notification-banner--success');
    const again = await form.post().attach('file', Buffer.from(file), 'sample.json').expect(302);
    expect((await agent.get(again.headers.location as string)).text).toContain(
      'already loaded with the same content: nothing changed',
    );
  });

  it('lists every problem under an error summary, and loads nothing', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await uploadForm(agent);
    const bad = JSON.stringify({
      ...sampleFramework(),
      version: '5.0.0',
      jurisdiction: 'scotland',
      caseTypes: [],
    });
    const res = await form.post().attach('file', Buffer.from(bad), 'bad.json').expect(422);
    expect(res.text).toContain('<title>Error: Upload a framework – Case Audit</title>');
    expect(res.text).toContain(
      '<a href="#file">The framework has 2 problems. Nothing was loaded: correct the file and upload it again.</a>',
    );
    expect(res.text).toContain('<code>/jurisdiction</code>');
    expect(res.text).toContain('must have at least 1 item(s)');
    await request(ctx.app)
      .get('/api/frameworks/sample-audit/versions/5.0.0')
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(404);
  });

  it('names the row and column of a problem in a spreadsheet', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await uploadForm(agent);
    const stored = await ctx.services.frameworks.get('child-protection-thematic', '1.0.0');
    const csv = (await exportFramework({ ...stored.framework, version: '1.0.1' }, 'csv'))
      .toString()
      .replace(',yes-no-na,', ',yes-or-no,');
    const res = await form.post().attach('file', Buffer.from(csv), 'cp.csv').expect(422);
    expect(res.text).toMatch(/<code>Questions row \d+, column &quot;type&quot;<\/code>/);
  });

  it('explains a changed version without loading it', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await uploadForm(agent);
    const changed = JSON.stringify({ ...sampleFramework(), title: 'Different' });
    const res = await form.post().attach('file', Buffer.from(changed), 'changed.json').expect(409);
    expect(res.text).toContain('is already loaded with different content');
  });

  it('asks for a file when none is chosen, and refuses uploads without the CSRF token', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await uploadForm(agent);
    const res = await form.post().field('note', 'x').expect(422);
    expect(res.text).toContain('Select a framework file (.json, .csv or .xlsx)');
    await agent.post('/frameworks/upload').attach('file', Buffer.from('{}'), 'f.json').expect(403);
  });

  it('refuses files over 5 MB', async () => {
    const agent = await signedInAgent(ctx, DEMO.admin);
    const form = await uploadForm(agent);
    const res = await form
      .post()
      .attach('file', Buffer.alloc(5 * 1024 * 1024 + 1, 32), 'big.json')
      .expect(413);
    expect(res.text).toContain('The file is larger than the limit of 5 MB.');
  });

  it('is for administrators only', async () => {
    const agent = await signedInAgent(ctx, DEMO.moderator);
    await agent.get('/frameworks/upload').expect(403);
  });
});

describe('frameworks API', () => {
  it('lists frameworks with their versions', async () => {
    const res = await request(ctx.app)
      .get('/api/frameworks')
      .set('Authorization', `Bearer ${auditorToken}`)
      .expect(200);
    expect(res.body.frameworks.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining(SHIPPED));
  });

  it('loads JSON, CSV, XLSX and multipart uploads: 201 when new, 200 when unchanged', async () => {
    const doc = { ...sampleFramework(), version: '7.0.0' };
    const created = await asAdmin(request(ctx.app).post('/api/frameworks')).send(doc).expect(201);
    expect(created.body).toMatchObject({
      outcome: 'created',
      framework: { id: 'sample-audit', version: '7.0.0' },
    });
    expect(created.headers.location).toBe('/api/frameworks/sample-audit/versions/7.0.0');
    await asAdmin(request(ctx.app).post('/api/frameworks')).send(doc).expect(200);

    const stored = await ctx.services.frameworks.get('sample-audit', '7.0.0');
    const csv = await exportFramework({ ...stored.framework, version: '7.1.0' }, 'csv');
    await asAdmin(request(ctx.app).post('/api/frameworks?filename=mine.csv'))
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(201);
    const xlsx = await exportFramework({ ...stored.framework, version: '7.2.0' }, 'xlsx');
    await asAdmin(request(ctx.app).post('/api/frameworks'))
      .set('Content-Type', CONTENT_TYPES.xlsx)
      .send(xlsx)
      .expect(201);
    const json = Buffer.from(JSON.stringify({ ...doc, version: '7.3.0' }));
    await asAdmin(request(ctx.app).post('/api/frameworks')).attach('file', json, 'f.json').expect(201);
    const versions = await ctx.db
      .knex('framework_version')
      .where({ framework_id: 'sample-audit' })
      .pluck('source_name');
    expect(versions).toEqual(expect.arrayContaining(['mine.csv', 'upload.xlsx', 'f.json']));
  });

  it('answers problems with 422 problem details naming each pointer, and conflicts with 409', async () => {
    const res = await asAdmin(request(ctx.app).post('/api/frameworks'))
      .send({
        ...sampleFramework(),
        version: '8.0.0',
        sections: [{ id: 'x', title: 'X', questions: [{ id: 'q', type: 'essay', text: 'Q' }] }],
      })
      .expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toContainEqual({
      field: '/sections/0/questions/0/type',
      message: 'must be one of grade, yes-no-na, yes-no, single-choice, multiple-choice, text, number, date',
    });
    const conflict = await asAdmin(request(ctx.app).post('/api/frameworks'))
      .send({ ...sampleFramework(), title: 'Other' })
      .expect(409);
    expect(conflict.body.errors).toEqual([
      { field: '/version', message: '1.0.0 is already loaded with different content' },
    ]);
  });

  it('lets only administrators load frameworks', async () => {
    await request(ctx.app)
      .post('/api/frameworks')
      .set('Authorization', `Bearer ${auditorToken}`)
      .send(sampleFramework())
      .expect(403);
  });

  it('never answers arbitrary uploads with a server error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => ({ type: 'application/json', body: JSON.stringify(v) })),
          fc.string().map((s) => ({ type: 'application/json', body: s })),
          fc.string().map((s) => ({ type: 'text/csv', body: s })),
          fc.uint8Array({ maxLength: 200 }).map((b) => ({ type: CONTENT_TYPES.xlsx, body: Buffer.from(b) })),
        ),
        async ({ type, body }) => {
          const res = await asAdmin(request(ctx.app).post('/api/frameworks'))
            .set('Content-Type', type)
            .send(body);
          return [400, 422].includes(res.status) && typeof res.body.detail === 'string';
        },
      ),
      { numRuns: 150 },
    );
  });

  it('serves the response schemas, draft and submission', async () => {
    const url = '/api/frameworks/sample-audit/versions/1.0.0/response-schema';
    const submit = await request(ctx.app).get(url).set('Authorization', `Bearer ${auditorToken}`).expect(200);
    expect(submit.headers['content-type']).toMatch(/^application\/schema\+json/);
    expect(submit.body).toMatchObject({
      $id: expect.stringMatching(/\/response-schema\?variant=submit$/),
      required: ['sections', 'overall'],
    });
    const draft = await request(ctx.app)
      .get(`${url}?variant=draft`)
      .set('Authorization', `Bearer ${auditorToken}`)
      .expect(200);
    expect(draft.body.required).toBeUndefined();
    const bad = await request(ctx.app)
      .get(`${url}?variant=final`)
      .set('Authorization', `Bearer ${auditorToken}`)
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'variant', message: 'must be draft or submit' }]);
  });

  it('checks responses against the stored version', async () => {
    const stored = await ctx.services.frameworks.get('sample-audit', '1.0.0');
    expect(ctx.services.frameworks.checkResponse(stored, 'submit', completeResponse())).toEqual({ ok: true });
    expect(ctx.services.frameworks.checkResponse(stored, 'submit', {})).toMatchObject({ ok: false });
  });

  it('exports a version, refusing unknown formats', async () => {
    const url = '/api/frameworks/care-leavers-pathway/versions/1.0.0';
    const res = await request(ctx.app).get(url).set('Authorization', `Bearer ${auditorToken}`).expect(200);
    expect(res.body).toMatchObject({
      id: 'care-leavers-pathway',
      version: '1.0.0',
      framework: { id: 'care-leavers-pathway' },
    });
    await request(ctx.app)
      .get(`${url}/export?format=csv`)
      .set('Authorization', `Bearer ${auditorToken}`)
      .expect(200);
    await request(ctx.app)
      .get(`${url}/export?format=doc`)
      .set('Authorization', `Bearer ${auditorToken}`)
      .expect(400);
  });
});
