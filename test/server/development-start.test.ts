import request from 'supertest';
import { createEmptyDatabase, type TestDatabase } from '../support/database';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * `npm start` as a developer sees it: the server's own output in development (no LOG_FORMAT, so the
 * default), started twice on one database with the demo seeded, as a restart does.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createEmptyDatabase();
});
afterAll(() => db.drop());

const DEVELOPMENT = { NODE_ENV: 'development', LOG_FORMAT: '', SEED_DEMO: '1' };

async function stop(server: ServerProcess): Promise<string[]> {
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  return server.logs.map((line) => String(line.msg));
}

/** The time, the level, then the message. */
const PRETTY_LINE = /^\d\d:\d\d:\d\d (TRACE|DEBUG|INFO |WARN |ERROR|FATAL) \S/;

describe('starting in development', () => {
  it('prints lines for people, one saying where the service is running, and a restart adds no demo data', async () => {
    const first = await startServer({ ...DEVELOPMENT, DATABASE_URL: db.url }, 120_000);
    const port = new URL(first.url).port;
    expect(first.url).toBe(`http://localhost:${port}`);
    await request(first.url).get('/sign-in').expect(200);
    const firstLines = await stop(first);

    // Every line is formatted (an error's stack lines are indented under it): none is JSON.
    for (const line of firstLines) expect(line).toMatch(new RegExp(`${PRETTY_LINE.source}|^ {2}`));
    const running = firstLines.filter((line) => line.includes('Case Audit is running at'));
    expect(running).toEqual([
      expect.stringMatching(
        new RegExp(`^\\d\\d:\\d\\d:\\d\\d INFO  Case Audit is running at http://localhost:${port}(  |$)`),
      ),
    ]);
    expect(firstLines).toContainEqual(
      expect.stringMatching(/INFO {2}demo data added: .*a case list of.*12 months of history/),
    );
    // A request that went well is logged at debug, below the default level.
    expect(firstLines.filter((line) => line.includes('/sign-in'))).toEqual([]);

    const second = await startServer({ ...DEVELOPMENT, DATABASE_URL: db.url }, 60_000);
    const secondLines = await stop(second);
    const demo = secondLines.filter((line) => line.includes('demo data'));
    expect(demo).toEqual([expect.stringMatching(/INFO {2}demo data already present, nothing added/)]);
    expect(demo.join('\n')).toMatch(/casesImported=0/);
  }, 240_000);
});
