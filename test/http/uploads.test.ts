import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { contextWithAdminToken, csrfTokenIn, DEMO, signedInAgent } from '../support/app';
import { bombWorkbook, giantRowWorkbook, longLineCsv, wideCsv } from '../support/hostile-files';

/**
 * Every upload path (case lists and frameworks, API and pages) answers a body it cannot parse, or a hostile
 * file, with a 4xx that says what is wrong: never a server error.
 */

const setup = contextWithAdminToken();
let admin: TestAgent;
beforeAll(async () => {
  admin = await signedInAgent(setup.ctx, DEMO.admin);
});

/** A POST to the API, with the admin's token. */
const api = (path: string) => () =>
  request(setup.ctx.app).post(path).auth(setup.adminToken, { type: 'bearer' });

/**
 * A POST to the upload form on this page, as the signed-in admin, with the form's CSRF token in the header
 * (the bodies sent here are not forms a browser would build, so the token cannot ride in them).
 */
async function form(page: string): Promise<() => request.Test> {
  const token = csrfTokenIn((await admin.get(page).expect(200)).text);
  return () => admin.post(page).set('X-CSRF-Token', token);
}

const BOUNDARY = 'xYzZY';
const CUT_SHORT = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="cases.csv"\r\nContent-Type: text/csv\r\n\r\ncase_reference,case_type,team\r\nC1,child-in-need,`;

describe('malformed multipart bodies', () => {
  it('are refused with 400 on every upload path: no boundary, or cut short', async () => {
    const paths: [string, () => request.Test][] = [
      ['POST /api/case-imports', api('/api/case-imports')],
      ['POST /cases/imports/new', await form('/cases/imports/new')],
      ['POST /api/frameworks', api('/api/frameworks')],
      ['POST /frameworks/upload', await form('/frameworks/upload')],
    ];
    for (const [name, post] of paths) {
      const noBoundary = await post().set('Content-Type', 'multipart/form-data').send('file=x');
      expect([name, noBoundary.status]).toEqual([name, 400]);
      expect(noBoundary.text).toContain('cannot be read as a multipart form');
      const cutShort = await post()
        .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
        .send(CUT_SHORT);
      expect([name, cutShort.status]).toEqual([name, 400]);
      expect(cutShort.text).toContain('cannot be read as a multipart form');
    }
  });
});

describe('hostile case lists through each way in', () => {
  it('are refused as imports naming the problem: API body, API multipart, and the upload form', async () => {
    const raw = await api('/api/case-imports')()
      .query({ filename: 'wide.csv' })
      .set('Content-Type', 'text/csv')
      .send(wideCsv(2_000_000))
      .expect(422);
    expect(raw.body.problems).toEqual([
      expect.objectContaining({ line: 2, reason: expect.stringMatching(/has more than 1,000 columns/) }),
    ]);
    const multipart = await api('/api/case-imports')()
      .attach('file', await giantRowWorkbook(2_000_000), 'row.xlsx')
      .expect(422);
    expect(multipart.body.problems).toEqual([
      expect.objectContaining({ sheet: 'Sheet1', line: 1, reason: expect.stringMatching(/column ALM/) }),
    ]);

    const bomb = await bombWorkbook(100, { prepend: Buffer.from('not a zip') });
    const res = await (await form('/cases/imports/new'))().attach('file', bomb, 'bomb.xlsx').expect(302);
    const outcome = await admin.get(res.headers.location as string).expect(200);
    expect(outcome.text).toContain('Case list refused');
    expect(outcome.text).toContain('the workbook is damaged or not a real Excel file');
  });
});

describe('hostile frameworks through each way in', () => {
  it('are refused with 422 and the problem: API body, API multipart, and the upload page', async () => {
    const workbook = await giantRowWorkbook(300_000);
    for (const res of [
      await api('/api/frameworks')().set('Content-Type', 'text/csv').send(wideCsv(2_000_000)),
      await api('/api/frameworks')().attach('file', workbook, 'row.xlsx'),
    ]) {
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body.errors)).toMatch(/more than 100 columns|at most 100 columns/);
    }
    const res = await (await form('/frameworks/upload'))().attach('file', workbook, 'row.xlsx').expect(422);
    expect(res.text).toContain('a framework may have at most 100 columns');
  });
});

describe('a case list refused part way through', () => {
  it('is still read to its end, so the client can send it all and read the answer', async () => {
    const server = http.createServer(setup.ctx.app).listen(0);
    const { port } = server.address() as AddressInfo;
    const headers = { 'Content-Type': 'text/csv', Authorization: `Bearer ${setup.adminToken}` };
    // Refused at its second line, with 60 MB still to come: more than a connection buffers.
    const req = http.request({ port, method: 'POST', path: '/api/case-imports', headers });
    const answer = new Promise<number | undefined>((resolve) => {
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode);
      });
    });
    const sent = new Promise<boolean>((resolve) => {
      req.on('error', () => resolve(false));
      req.on('finish', () => resolve(true));
    });
    req.end(longLineCsv(60));
    const finished = await sent;
    server.close();
    expect(finished).toBe(true);
    expect(await answer).toBe(422);
  });
});
