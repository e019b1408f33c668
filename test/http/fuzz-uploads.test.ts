import type fc from 'fast-check';
import request from 'supertest';
import { FRAMEWORK } from '../support/audits';
import { nativeCsv, nativeRows, nativeWorkbook } from '../support/case-lists';
import { describeChange } from '../support/change-watch';
import { multipart, uploadFiles, type UploadFile } from '../support/fuzz-files';
import type { ProbeRequest } from '../support/fuzz-probe';
import { fuzzSetup } from '../support/fuzz-setup';
import { listRoutes } from '../support/routes';

/**
 * fast-check sends every upload endpoint, by each way it takes a file (the request body, a multipart
 * upload, the page's form), generated files: real case lists and frameworks as CSV, XLSX and JSON, cut
 * short at any byte, with bytes flipped or spliced in, with a workbook's XML broken inside a sound zip;
 * zips of anything; CSV of any cells; and bytes that are no file at all, under any name and content type.
 * Each answer must be a success or a refusal that says what is wrong, never a 5xx; and a refused file
 * changes nothing but the record of its refusal.
 */

const RUNS_PER_WAY = 90;
const BOUNDARY = 'fuzzBoundary7MA4YWxk';
const setup = fuzzSetup('uploads', 20261128);

let files: fc.Arbitrary<UploadFile>;
beforeAll(async () => {
  const { ctx, targets } = setup;
  const exported = async (format: string) =>
    (
      await request(ctx.app)
        .get(`/api/frameworks/${FRAMEWORK.id}/versions/${FRAMEWORK.version}/export?format=${format}`)
        .set('Authorization', `Bearer ${targets.token}`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200)
    ).body as Buffer;
  const csv = nativeCsv(nativeRows(4));
  files = uploadFiles(
    {
      csv: [Buffer.from(csv), await exported('csv')],
      xlsx: [await nativeWorkbook(nativeRows(4)), await exported('xlsx')],
      json: [await exported('json')],
    },
    csv.split('\n')[0] as string,
  );
}, 60_000);

/** A redirect from a form's upload must lead to a page; when it tells of a refusal, nothing was changed. */
async function followed(
  res: request.Response,
  changes: readonly { table: string }[],
  headers: Record<string, string>,
): Promise<string | undefined> {
  const location = String(res.headers.location ?? '');
  if (res.status !== 302 || !location.startsWith('/')) return undefined;
  const page = await request(setup.base).get(location).set(headers).redirects(0);
  if (page.status !== 200) return `redirected to ${location}, which answered ${page.status}`;
  const refused = page.text.includes('Case list refused') || location.includes('/mapping/');
  if (refused && changes.length > 0)
    return `refused, but changed the database: ${changes.map((c) => describeChange(c as never)).join(', ')}`;
  return undefined;
}

const WAYS: { name: string; path: string; page: boolean; way: 'raw' | 'multipart' }[] = [
  { name: 'case list, API body', path: '/api/case-imports', page: false, way: 'raw' },
  { name: 'case list, API multipart', path: '/api/case-imports', page: false, way: 'multipart' },
  { name: 'case list, upload form', path: '/cases/imports/new', page: true, way: 'multipart' },
  { name: 'framework, API body', path: '/api/frameworks', page: false, way: 'raw' },
  { name: 'framework, API multipart', path: '/api/frameworks', page: false, way: 'multipart' },
  { name: 'framework, upload page', path: '/frameworks/upload', page: true, way: 'multipart' },
];

it('covers every route that takes a file', () => {
  const takesFile = listRoutes(setup.ctx.app).filter((r) => r.handlers.includes('acceptFile'));
  const fuzzed = new Set(WAYS.map((w) => w.path));
  expect(takesFile.map((r) => r.path).filter((p) => !fuzzed.has(p))).toEqual([]);
});

it('answers generated files to every upload endpoint with a success or a clear refusal, and a refusal changes nothing else', async () => {
  const { targets, probe } = setup;
  for (const way of WAYS) {
    const headers = way.page ? await targets.signIn() : { Authorization: `Bearer ${targets.token}` };
    await probe.check(way.name, files, RUNS_PER_WAY, (file): ProbeRequest => {
      const path =
        way.way === 'raw' ? `${way.path}?filename=${encodeURIComponent(file.name.toWellFormed())}` : way.path;
      const body =
        way.way === 'raw'
          ? { type: file.type, body: file.bytes }
          : { type: `multipart/form-data; boundary=${BOUNDARY}`, body: multipart(file, BOUNDARY) };
      return {
        method: 'post',
        path,
        headers,
        body,
        judge: (res, changes) => (way.page ? followed(res, changes, headers) : Promise.resolve(undefined)),
      };
    });
  }
  expect(probe.tally.failures).toEqual([]);
}, 600_000);
