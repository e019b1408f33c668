import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { contextWithAdminToken, DEMO, sessionHeaders } from '../support/app';
import { longLineCsv } from '../support/hostile-files';

/**
 * A request body refused part way is still read to its end before the answer is sent: a client that has not
 * finished sending when the answer comes can have its connection reset and never read it (EPIPE). Every
 * way a body comes in (case lists, forms, frameworks, JSON), sent with `Connection: close` (the server then closes once it has answered) in small writes.
 */

const setup = contextWithAdminToken();
let server: http.Server;
let port: number;
let sessionCookie: string;
beforeAll(async () => {
  server = http.createServer(setup.ctx.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const admin = await setup.ctx.services.users.findByEmail(DEMO.admin);
  sessionCookie = (await sessionHeaders(setup.ctx.app, admin?.id ?? 0)).Cookie ?? '';
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const BOUNDARY = 'refusedupload';
const multipart = (fields: Record<string, string>, file: Buffer): Buffer =>
  Buffer.concat([
    ...Object.entries(fields).map(([name, value]) =>
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    ),
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="list.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);

interface Sent {
  status: number;
  writtenBeforeAnswer: number;
  total: number;
}

/** Sends `body` in 64 KB writes, and notes how much of it had been written when the answer arrived. */
function send(path: string, headers: Record<string, string>, body: Buffer): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let written = 0;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { ...headers, Connection: 'close', 'Content-Length': String(body.length) },
      },
      (res) => {
        const writtenBeforeAnswer = written;
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, writtenBeforeAnswer, total: body.length }),
        );
      },
    );
    req.on('error', reject);
    const writeNext = (): void => {
      while (written < body.length) {
        const chunk = body.subarray(written, written + 65_536);
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', writeNext);
      }
      req.end();
    };
    writeNext();
  });
}

// A 20 MB line: refused after its first megabyte.
const list = longLineCsv(20);

describe('an upload refused part way is read to its end before the answer', () => {
  const bearer = () => ({ Authorization: `Bearer ${setup.adminToken}` });
  const cases: [string, () => Promise<Sent>, number][] = [
    [
      'a CSV body sent to the API',
      () => send('/api/case-imports', { ...bearer(), 'Content-Type': 'text/csv' }, list),
      422,
    ],
    [
      'a multipart upload sent to the API',
      () =>
        send(
          '/api/case-imports',
          { ...bearer(), 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
          multipart({}, list),
        ),
      422,
    ],
    [
      'the upload form with a wrong CSRF token',
      () =>
        send(
          '/cases/imports/new',
          { Cookie: sessionCookie, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
          multipart({ _csrf: 'not-the-token' }, list),
        ),
      403,
    ],
    [
      'a multipart body that breaks part way',
      () =>
        send(
          '/api/case-imports',
          { ...bearer(), 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
          Buffer.concat([Buffer.from(`--${BOUNDARY}\r\n${'x'.repeat(200_000)}`), list]),
        ),
      400,
    ],
    [
      'a framework upload over its limit',
      () =>
        send(
          '/api/frameworks',
          { ...bearer(), 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
          multipart({}, list),
        ),
      413,
    ],
    [
      'a JSON body over its limit',
      () =>
        send(
          '/api/rounds',
          { ...bearer(), 'Content-Type': 'application/json' },
          Buffer.concat([Buffer.from('{"name":"'), list, Buffer.from('"}')]),
        ),
      413,
    ],
  ];

  it.each(cases)('%s', async (_name, sendIt, status) => {
    const sent = await sendIt();
    expect(sent.status).toBe(status);
    expect(sent.writtenBeforeAnswer).toBe(sent.total);
  });
});
