import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { answerClientErrors } from './client-error';

let server: http.Server;
let port: number;

beforeAll(async () => {
  // Reads the whole body before answering, as the app's body parsers do.
  server = http.createServer((req, res) => req.resume().on('end', () => res.end('ok')));
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Sends raw bytes and reads everything the server says until it closes the connection. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const cases: [string, string, RegExp, RegExp][] = [
  [
    'headers over the 16 kB limit',
    `GET / HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`,
    /^HTTP\/1\.1 431 /,
    /larger than the limit of 16 kB/,
  ],
  ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', /^HTTP\/1\.1 400 /, /could not be read as HTTP/],
  [
    'a header with a control character',
    'GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n',
    /^HTTP\/1\.1 400 /,
    /could not be read as HTTP/,
  ],
  [
    'a broken chunked body',
    'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
    /^HTTP\/1\.1 400 /,
    /could not be read as HTTP/,
  ],
];

it.each(cases)(
  'answers %s with a status and a message saying what was wrong',
  async (_name, request, status, message) => {
    const answer = await raw(request);
    expect(answer).toMatch(status);
    expect(answer).toMatch(/Content-Type: text\/plain; charset=utf-8/);
    expect(answer).toMatch(message);
    const [head, body] = answer.split('\r\n\r\n') as [string, string];
    expect(Number(/Content-Length: (\d+)/.exec(head)?.[1])).toBe(Buffer.byteLength(body));
  },
);

it('still answers well-formed requests', async () => {
  expect(await raw('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(
    /^HTTP\/1\.1 200 [\s\S]*ok$/,
  );
});
