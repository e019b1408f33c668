import { Writable } from 'node:stream';
import { formatLogRecord } from './log-format';
import { createLogger } from './logger';

const time = '2026-11-25T14:02:07.000Z';
const clock = new Date(time).toTimeString().slice(0, 8);

describe('formatLogRecord', () => {
  it('gives the time, the level and the message, then the fields, leaving out what every line carries', () => {
    expect(
      formatLogRecord({
        level: 30,
        time,
        service: 'case-audit',
        msg: 'audit frameworks loaded',
        unchanged: 3,
        created: ['a@1.0.0'],
      }),
    ).toBe(`${clock} INFO  audit frameworks loaded  unchanged=3 created=["a@1.0.0"]`);
  });

  it('leaves out a field the message already says, such as the address', () => {
    const url = 'http://localhost:3000';
    expect(
      formatLogRecord({ level: 30, time, msg: `Case Audit is running at ${url}`, url, startupMs: 812 }),
    ).toBe(`${clock} INFO  Case Audit is running at ${url}  startupMs=812`);
  });

  it('reads a request line as a sentence, keeping its request id', () => {
    expect(
      formatLogRecord({
        level: 20,
        time,
        msg: 'request completed',
        requestId: 'r-1',
        req: { method: 'GET', path: '/cases' },
        res: { statusCode: 200 },
        responseTime: 12,
      }),
    ).toBe(`${clock} DEBUG request completed GET /cases 200 (12 ms)  requestId=r-1`);
  });

  it('puts an error stack under its line, indented', () => {
    const line = formatLogRecord({
      level: 50,
      time,
      msg: 'request failed',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (a.ts:1:2)' },
    });
    expect(line).toBe(`${clock} ERROR request failed\n  err: Error: boom\n        at f (a.ts:1:2)`);
  });

  it('colours the level and the fields only when asked', () => {
    expect(formatLogRecord({ level: 40, time, msg: 'slow', ms: 3 }, true)).toContain(
      '\u001b[33mWARN \u001b[0m',
    );
  });
});

describe('a pretty logger', () => {
  it('prints formatted lines with errors redacted as in JSON', () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString();
        done();
      },
    });
    const pretty = createLogger('info', sink, 'pretty');
    pretty.error({ err: new Error('value "Jane Doe" refused') }, 'saving failed');
    pretty.debug('not shown');
    expect(out).toMatch(
      new RegExp(`^\\d\\d:\\d\\d:\\d\\d ERROR saving failed\\n  err: Error: value "…" refused\\n`),
    );
    expect(out).not.toContain('Jane');
    expect(out).not.toContain('not shown');
  });
});
