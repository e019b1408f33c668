import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { MAX_JSON_DEPTH } from '../../src/http/json-depth';
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
let auditorToken: string;
let adminToken: string;
let auditId: number;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  auditorToken = await tokenFor(ctx, DEMO.auditor);
  adminToken = await tokenFor(ctx, DEMO.admin);
  auditId = (await roundForAuditor(ctx.services)).auditIds[0] as number;
});
afterAll(() => ctx.close());

const saveDraft = (body: unknown) =>
  request(ctx.app)
    .put(`/api/audits/${auditId}`)
    .set('Authorization', `Bearer ${auditorToken}`)
    .set('Content-Type', 'application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));
const draft = (recording: Record<string, unknown>) => ({ version: 0, response: { sections: { recording } } });
const storedRevisions = () =>
  ctx.db.knex('audit_revision').where({ audit_id: auditId }).count('* as n').first();

describe('text the service cannot keep (NUL, lone surrogates)', () => {
  it.each([
    [
      'a NUL in a value',
      draft({ strengths: 'seen at home\u0000' }),
      '/response/sections/recording/strengths',
    ],
    [
      'a lone surrogate in a value',
      draft({ strengths: 'x\ud800' }),
      '/response/sections/recording/strengths',
    ],
    ['a NUL in a key', draft({ 'a\u0000': 'x' }), '/response/sections/recording/a\ufffd'],
    ['a lone surrogate in a key', { version: 0, response: { '\udc00': 1 } }, '/response/\ufffd'],
  ])(
    'refuses %s in a JSON body with a 400 naming its JSON pointer, storing nothing',
    async (_, body, field) => {
      const before = await storedRevisions();
      const res = await saveDraft(body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field, message: expect.stringContaining('NUL') }]);
      expect(res.body.detail).toContain(field);
      expect(await storedRevisions()).toEqual(before);
    },
  );

  it('refuses them in form fields, naming the field on the page', async () => {
    const agent = await signedInAgent(ctx, DEMO.auditor);
    const page = await agent.get(`/audits/${auditId}/safeguarding`).expect(200);
    const res = await agent
      .post(`/audits/${auditId}/safeguarding`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrfTokenIn(page.text))}&details=child%00at%20risk`)
      .expect(400);
    expect(res.text).toContain('The field details contains a character that cannot be accepted');
    expect(await ctx.db.knex('safeguarding_concern').where({ audit_id: auditId }).first()).toBeUndefined();
  });

  it('refuses them in query strings and paths', async () => {
    const api = (path: string) => request(ctx.app).get(path).set('Authorization', `Bearer ${adminToken}`);
    const query = await api('/api/cases?team=1%00').expect(400);
    expect(query.body.errors).toEqual([expect.objectContaining({ field: 'team' })]);
    const path = await api('/api/frameworks/a%00b/versions/1.0.0').expect(400);
    expect(path.body.errors).toEqual([expect.objectContaining({ field: 'path' })]);
    await api('/api/audits/%E0%A4%A').expect(400);
  });
});

describe('deeply nested JSON', () => {
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('refuses 10,000 levels with a 400 before any route code sees the body', async () => {
    const res = await saveDraft(`{"version":0,"response":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/nested too deeply/);
    expect(await storedRevisions()).toEqual({ n: 0 });
  });

  it(`takes ${MAX_JSON_DEPTH} levels and refuses one more`, async () => {
    const at = (levels: number) =>
      request(ctx.app)
        .post('/api/audit-rounds')
        .set('Authorization', `Bearer ${adminToken}`)
        .set('Content-Type', 'application/json')
        .send(`{"filters":${nested(levels - 1)}}`);
    expect((await at(MAX_JSON_DEPTH)).status).toBe(422);
    const refused = await at(MAX_JSON_DEPTH + 1).expect(400);
    expect(refused.body.detail).toMatch(/nested too deeply/);
  });
});

describe('bodies the parsers refuse', () => {
  const post = () => request(ctx.app).post('/api/audit-rounds').set('Authorization', `Bearer ${adminToken}`);

  it('keeps a 413 for a body over the limit', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 1) });
    await post().set('Content-Type', 'application/json').send(big).expect(413);
  });

  it('answers a charset or content encoding it cannot read with a 415, and a broken one with a 400', async () => {
    for (const type of ['application/json; charset=utf-16', 'application/json; charset=koi8-r'])
      await post().set('Content-Type', type).send('{}').expect(415);
    await post()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'compress')
      .send('{}')
      .expect(415);
    await post()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send(Buffer.from('not gzip'))
      .expect(400);
    await post()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send(gzipSync('{"name":'))
      .expect(400);
  });

  it('answers a form with too many fields with a 413', async () => {
    const fields = Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&');
    await post().type('form').send(fields).expect(413);
  });
});
