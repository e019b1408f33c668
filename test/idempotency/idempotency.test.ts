import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { createApp } from '../../src/app';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { loadConfig } from '../../src/config';
import { createKnex } from '../../src/db/connection';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import { createInfrastructure } from '../../src/infrastructure';
import { createLogger } from '../../src/logger';
import { createServices } from '../../src/services';
import { createTestContext, DEMO, signedInAgent, csrfTokenIn, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';
import { startCuttingProxy, type CuttingProxy } from '../support/cutting-proxy';

let ctx: TestContext;
let framework: Framework;
let auditIds: number[];
let token: string;
let otherToken: string;
/** The same app, talking to PostgreSQL through a proxy that can cut a COMMIT's answer. */
let proxied: { app: Express; knex: Knex; proxy: CuttingProxy };

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  ({ auditIds } = await roundForAuditor(ctx.services, {
    perTeam: 1,
    moderation: { samplePercent: 0, allInadequate: false, allOutstanding: false, blind: true },
  }));
  token = (await ctx.services.tokens.create({ email: DEMO.auditor }, SYSTEM_ACTOR)).token;
  otherToken = (await ctx.services.tokens.create({ email: DEMO.moderator }, SYSTEM_ACTOR)).token;
  const proxy = await startCuttingProxy(ctx.db.url);
  const knex = createKnex({ url: proxy.url, poolMax: 4 });
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: proxy.url, LOG_LEVEL: 'silent' });
  const infrastructure = createInfrastructure(config, createLogger('silent'), knex);
  proxied = { app: createApp(infrastructure, createServices(infrastructure)), knex, proxy };
});
afterAll(async () => {
  await proxied.knex.destroy();
  await proxied.proxy.close();
  await ctx.close();
});

const draft = (grade: string) => ({ sections: { recording: { grade, rationale: 'Seen in the record.' } } });
const put = (app: Express, id: number, body: object, key?: string, as = token) => {
  const req = request(app).put(`/api/audits/${id}`).set('Authorization', `Bearer ${as}`);
  return (key ? req.set('Idempotency-Key', key) : req).send(body);
};
const state = async (id: number) => ({
  audit: await ctx.db.knex('audit').where({ id }).first('lock_version', 'status'),
  saves: (
    await ctx.db
      .knex('audit_event')
      .where({ record_id: String(id), action: 'audit.save_draft' })
      .count('* as n')
  )[0],
});

describe('a change sent with an Idempotency-Key', () => {
  it('is made once: a repeat gets the first result, marked as replayed', async () => {
    const id = auditIds[0] as number;
    const first = await put(ctx.app, id, { version: 0, response: draft('good') }, 'save-1').expect(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const after = await state(id);
    const again = await put(ctx.app, id, { version: 0, response: draft('good') }, 'save-1').expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await state(id)).toEqual(after);
    expect(after).toMatchObject({ audit: { lock_version: 1 }, saves: { n: 1 } });
    // Without the key the same request is a stale save, as it should be.
    await put(ctx.app, id, { version: 0, response: draft('good') }).expect(409);
  });

  it('refuses the key reused for a different request, and another user’s key is their own', async () => {
    const id = auditIds[0] as number;
    const other = await put(ctx.app, id, { version: 1, response: draft('inadequate') }, 'save-1').expect(422);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    // The moderator may not change the audit: their use of the same key is judged on its own.
    await put(ctx.app, id, { version: 0, response: draft('good') }, 'save-1', otherToken).expect(404);
  });

  it('refuses a malformed key', async () => {
    const res = await put(
      ctx.app,
      auditIds[0] as number,
      { version: 1, response: {} },
      'a'.repeat(256),
    ).expect(400);
    expect(res.body.errors[0].field).toBe('Idempotency-Key');
  });

  it('applies exactly once when the same request arrives several times at once', async () => {
    const id = auditIds[1] as number;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => put(ctx.app, id, { version: 0, response: draft('good') }, 'burst')),
    );
    // They wait for one another: the first makes the change, the others get its result.
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(results.map((r) => r.body)).toEqual(results.map(() => results[0]?.body));
    expect(await state(id)).toMatchObject({ audit: { lock_version: 1 }, saves: { n: 1 } });
    const settled = await put(ctx.app, id, { version: 0, response: draft('good') }, 'burst').expect(200);
    expect(settled.body.version).toBe(1);
  });
});

describe('a save whose COMMIT is cut off', () => {
  it('is answered 503 "may not have been saved", and a retry with the key gets the first result', async () => {
    const id = auditIds[2] as number;
    proxied.proxy.cutNextCommit();
    const cut = await put(proxied.app, id, { version: 0, response: draft('good') }, 'cut-1');
    expect(proxied.proxy.cuts).toBe(1);
    expect(cut.status).toBe(503);
    expect(cut.body).toMatchObject({ title: 'Your change may not have been saved', outcome: 'unknown' });
    // It did commit.
    expect(await state(id)).toMatchObject({ audit: { lock_version: 1 }, saves: { n: 1 } });
    const retried = await put(proxied.app, id, { version: 0, response: draft('good') }, 'cut-1').expect(200);
    expect(retried.body).toMatchObject({ version: 1, revision: 1 });
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(await state(id)).toMatchObject({ audit: { lock_version: 1 }, saves: { n: 1 } });
  });

  it('is never reported as a failure on the pages either', async () => {
    const id = auditIds[3] as number;
    const agent = await signedInAgent({ ...ctx, app: proxied.app }, DEMO.auditor);
    const page = await agent.get(`/audits/${id}/sections/recording`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] as string;
    const section = completeResponse(framework, () => 1).sections?.recording;
    proxied.proxy.cutNextCommit();
    const cut = await agent
      .post(`/audits/${id}/sections/recording`)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), version, grade: section?.grade, rationale: section?.rationale });
    expect(cut.status).toBe(503);
    expect(cut.text).toContain('Your change may not have been saved');
    expect(cut.text).toContain('reload the page to see what was saved');
  });
});
