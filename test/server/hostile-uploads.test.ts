import request from 'supertest';
import { contextWithAdminToken, csrfTokenIn, DEMO, signedInAgent } from '../support/app';
import {
  denseWorkbook,
  giantRowWorkbook,
  longLineCsv,
  sharedStringsWorkbook,
  wideCsv,
} from '../support/hostile-files';
import { startServer, type ServerProcess } from '../support/server-process';

/**
 * The server, run as a real process with a small heap, takes every hostile upload through every way in,
 * refuses each with a clear answer, and goes on serving: one upload must never take the service down.
 */

const setup = contextWithAdminToken();
let server: ServerProcess;
beforeAll(async () => {
  server = await startServer({ DATABASE_URL: setup.ctx.db.url, NODE_OPTIONS: '--max-old-space-size=256' });
}, 60_000);
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

const api = (path: string) => request(server.url).post(path).auth(setup.adminToken, { type: 'bearer' });

async function stillServing(): Promise<void> {
  await request(server.url).get('/health').expect(200);
  expect(server.child.exitCode).toBeNull();
}

describe('a server with a 256 MB heap', () => {
  it('refuses hostile case lists sent to the API, and keeps serving', async () => {
    // 17 million cells: 47 MB uploaded, 450 MB unpacked.
    const dense = await api('/api/case-imports?filename=dense.xlsx')
      .set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(await denseWorkbook(170_000, 100));
    expect(dense.status).toBe(422);
    expect(dense.body.problems[0].reason).toMatch(/unpacks to more than 250 MB/);
    await stillServing();

    const strings = await api('/api/case-imports').attach(
      'file',
      await sharedStringsWorkbook(3_000_000),
      's.xlsx',
    );
    expect(strings.status).toBe(422);
    expect(strings.body.problems[0].reason).toMatch(/more than 1,000,000 different texts/);
    await stillServing();

    for (const [csv, reason] of [
      [wideCsv(5_000_000), /more than 1,000 columns/],
      [longLineCsv(50), /longer than 1 MB/],
    ] as const) {
      const res = await api('/api/case-imports').set('Content-Type', 'text/csv').send(csv);
      expect(res.status).toBe(422);
      expect(res.body.problems[0].reason).toMatch(reason);
      await stillServing();
    }
  });

  it('refuses a hostile case list sent through the upload form, and keeps serving', async () => {
    const agent = await signedInAgent(setup.ctx, DEMO.admin, server.url);
    const page = await agent.get('/cases/imports/new').expect(200);
    const res = await agent
      .post('/cases/imports/new')
      .field('_csrf', csrfTokenIn(page.text))
      .attach('file', await giantRowWorkbook(4_000_000), 'row.xlsx')
      .expect(302);
    expect((await agent.get(res.headers.location as string).expect(200)).text).toContain('column ALM');
    await stillServing();
  });

  it('refuses hostile frameworks and malformed uploads, and keeps serving', async () => {
    // 1.9 million cells, 49 MB unpacked: enough to exhaust a small heap if the workbook were read whole.
    const framework = await api('/api/frameworks').attach('file', await denseWorkbook(19_000, 100), 'f.xlsx');
    expect(framework.status).toBe(422);
    expect(JSON.stringify(framework.body.errors)).toContain('unpacks to more than 10 MB');
    await stillServing();

    const noBoundary = await api('/api/case-imports').set('Content-Type', 'multipart/form-data').send('x');
    expect(noBoundary.status).toBe(400);
    await stillServing();
  });
});
