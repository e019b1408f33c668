import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { contextWithAdminToken, DEMO, signedInAgent } from '../support/app';
import { longLineCsv } from '../support/hostile-files';

/**
 * Every upload path (case lists and frameworks, API and pages) answers a body it cannot parse with a 400
 * that says what is wrong: never a server error.
 */

const setup = contextWithAdminToken();
let admin: TestAgent;
beforeAll(async () => {
  admin = await signedInAgent(setup.ctx, DEMO.admin);
});

/** A POST to the API, with the admin's token. */
const api = (path: string) => () =>
  request(setup.ctx.app).post(path).auth(setup.adminToken, { type: 'bearer' });

/** A POST from the upload form on this page, as the signed-in admin (its CSRF token is in its action). */
async function form(page: string): Promise<() => request.Test> {
  const html = (await admin.get(page).expect(200)).text;
  const token = new RegExp(`action="${page}\\?_csrf=([^"]+)"`).exec(html)?.[1] as string;
  return () => admin.post(`${page}?_csrf=${token}`);
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
