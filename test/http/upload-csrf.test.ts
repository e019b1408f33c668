import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { MULTIPART_UPLOAD_PATHS } from '../../src/http/csrf';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';
import { nativeCsv, nativeRows } from '../support/case-lists';
import { sampleFramework } from '../support/frameworks';
import { fillPath, listRoutes } from '../support/routes';

/**
 * A CSRF token never travels in a URL (it would leak through history, logs and Referer). Upload forms send it
 * in their multipart body, and every upload route refuses a post without the right one.
 */

let ctx: TestContext;
let admin: TestAgent;
let token: string;
beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  admin = await signedInAgent(ctx, DEMO.admin);
  token = csrfTokenIn((await admin.get('/').expect(200)).text);
});
afterAll(() => ctx.close());

let version = 0;
/** A file each upload route would accept, so that only the token decides. */
const UPLOADS: Record<string, () => [Buffer, string]> = {
  '/cases/imports/new': () => [Buffer.from(nativeCsv(nativeRows(3))), 'cases.csv'],
  '/api/case-imports': () => [Buffer.from(nativeCsv(nativeRows(3))), 'cases.csv'],
  '/frameworks/upload': () => [
    Buffer.from(JSON.stringify({ ...sampleFramework(), version: `2.0.${(version += 1)}` })),
    'f.json',
  ],
  '/api/frameworks': () => [
    Buffer.from(JSON.stringify({ ...sampleFramework(), version: `2.0.${(version += 1)}` })),
    'f.json',
  ],
};

const stored = async () => ({
  imports: Number((await ctx.db.knex('case_import').count('* as n').first())?.n),
  frameworks: Number((await ctx.db.knex('framework_version').count('* as n').first())?.n),
});

describe('every multipart upload route', () => {
  it('is a real route, and each has a file to test it with', () => {
    const posts = new Set(
      listRoutes(ctx.app)
        .filter((r) => r.method === 'post')
        .map((r) => r.path),
    );
    for (const path of MULTIPART_UPLOAD_PATHS) expect([path, posts.has(path)]).toEqual([path, true]);
    expect(Object.keys(UPLOADS).sort()).toEqual([...MULTIPART_UPLOAD_PATHS].sort());
  });

  it.each([...MULTIPART_UPLOAD_PATHS])(
    '%s refuses a missing, wrong or URL-borne token with 403 and stores nothing; takes the right one in the body',
    async (path) => {
      const upload = UPLOADS[path] as () => [Buffer, string];
      const before = await stored();
      const attempts: [string, () => request.Test][] = [
        ['no token', () => admin.post(path)],
        ['a wrong token', () => admin.post(path).field('_csrf', 'not-the-token')],
        ['the token in the address', () => admin.post(`${path}?_csrf=${token}`)],
      ];
      for (const [what, post] of attempts) {
        const [file, name] = upload();
        const req = post().field('mode', 'all-or-nothing').attach('file', file, name);
        const res = await req;
        expect([what, res.status]).toEqual([what, 403]);
        expect(res.text).toContain('The form had expired or did not come from this service');
      }
      // A form with no file chosen is refused for its token before anything else.
      expect((await admin.post(path).field('mode', 'all-or-nothing')).status).toBe(403);
      expect(await stored()).toEqual(before);

      const [file, name] = upload();
      const accepted = await admin.post(path).field('_csrf', token).attach('file', file, name);
      expect([accepted.status]).toEqual([path.startsWith('/api/') ? 201 : 302]);
    },
  );

  it.each(['/cases/imports/new', '/api/case-imports'])(
    '%s streams the file, so it wants the token before the file, as the form sends it',
    async (path) => {
      const before = await stored();
      const res = await admin
        .post(path)
        .attach('file', Buffer.from(nativeCsv(nativeRows(3))), 'cases.csv')
        .field('_csrf', token);
      expect(res.status).toBe(403);
      expect(await stored()).toEqual(before);
    },
  );

  it('are the only routes whose multipart body is read for a token: any other refuses one without it', async () => {
    const others = listRoutes(ctx.app).filter(
      (r) => r.method !== 'get' && !MULTIPART_UPLOAD_PATHS.has(r.path),
    );
    expect(others.length).toBeGreaterThan(20);
    for (const route of others) {
      const path = fillPath(route.path, new Proxy({}, { get: () => 1 }));
      const res = await admin[route.method](path).field('_csrf', token).field('x', 'y');
      expect([route.method, path, res.status]).toEqual([route.method, path, 403]);
    }
  });
});

describe('pages', () => {
  it('never put a CSRF token in an address: every page, and the upload pages after a refusal', async () => {
    const pages = listRoutes(ctx.app)
      .filter((r) => r.method === 'get' && !r.path.startsWith('/api/') && !r.path.includes(':'))
      .map((r) => r.path);
    expect(pages).toEqual(expect.arrayContaining(['/cases/imports/new', '/frameworks/upload']));
    const html: [string, string][] = [];
    for (const path of pages) html.push([path, (await admin.get(path)).text]);
    // A refused upload renders its form again, at the address it was posted to.
    for (const path of ['/cases/imports/new', '/frameworks/upload']) {
      const res = await admin.post(path).field('_csrf', token).field('mode', 'all-or-nothing');
      expect([path, res.status]).toEqual([path, 422]);
      html.push([`${path} after a refusal`, res.text]);
    }
    let uploadForms = 0;
    for (const [path, text] of html) {
      expect([path, /_csrf=/.test(text)]).toEqual([path, false]);
      for (const [form] of text.matchAll(
        /<form\b[^>]*enctype="multipart\/form-data"[^>]*>[\s\S]*?<\/form>/g,
      )) {
        uploadForms += 1;
        // The token is the form's first field, so the upload parser has it before the file.
        expect([
          path,
          /^<form[^>]*>\s*(\{\{!--.*--\}\}\s*)?<input type="hidden" name="_csrf" value="[^"]+">/.test(form),
        ]).toEqual([path, true]);
      }
    }
    expect(uploadForms).toBeGreaterThanOrEqual(4);
  });
});
