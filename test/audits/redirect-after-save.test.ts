import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestContext, csrfTokenIn, DEMO, signedInAgent, type TestContext } from '../support/app';

let ctx: TestContext;
let server: http.Server;
let base: string;
beforeAll(async () => {
  ctx = await createTestContext();
  server = http.createServer(ctx.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

/** Sends a request and resolves at its headers, as a browser following a redirect does. */
function headersOf(path: string, options: http.RequestOptions, body?: string) {
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(`${base}${path}`, options, resolve);
    req.on('error', reject);
    req.end(body);
  });
}

async function text(res: http.IncomingMessage): Promise<string> {
  let all = '';
  for await (const chunk of res) all += String(chunk);
  return all;
}

describe('a redirect that carries a notice in the session', () => {
  it('reaches the browser only once the session is saved, so the next page shows the notice', async () => {
    const agent = await signedInAgent(ctx, DEMO.auditor, base);
    const home = await agent.get('/').expect(200);
    const cookie = (home.request as unknown as { cookies: string }).cookies;
    // A slow session store, as under load: the notice is written a while after the redirect is decided.
    const store = ctx.infrastructure.sessionStore;
    const set = store.set.bind(store);
    store.set = (sid, sess, callback) => void setTimeout(() => set(sid, sess, callback), 300);
    try {
      const out = await headersOf(
        '/sign-out',
        { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } },
        `_csrf=${encodeURIComponent(csrfTokenIn(home.text))}`,
      );
      expect(out.statusCode).toBe(302);
      // Follow at once, with the new session's cookie, while the sign-out's body may still be coming.
      const next = (out.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      const page = await headersOf('/sign-in', { headers: { cookie: next } });
      expect(await text(page)).toContain('You have signed out.');
      await text(out);
    } finally {
      store.set = set;
    }
  });
});
