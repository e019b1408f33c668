import request from 'supertest';
import { completeResponse } from '../../src/demo/responses';
import type { AuditResponse } from '../../src/audits/response';
import { createTestContext, DEMO, tokenFor, type TestContext } from '../support/app';
import { FRAMEWORK, roundForAuditor } from '../support/audits';

/**
 * A draft save is one statement, and after the first save the server does not read the audit again before
 * the next one from the version it returned. Whatever changes the audit meanwhile, by another server, a
 * command or a person, the save is refused as it would have been had the audit been read first, and
 * writes nothing: no version, no draft, no log entry.
 */

let ctx: TestContext;
let token: string;
let auditIds: number[];
let response: AuditResponse;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  ({ auditIds } = await roundForAuditor(ctx.services, { cases: 80, perTeam: 2 }));
  token = await tokenFor(ctx, DEMO.auditor);
  const { framework } = await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version);
  response = completeResponse(framework, () => 1);
  await ctx.infrastructure.identityCache.start();
});
afterAll(() => ctx.close());

const save = (id: number, version: number, body: AuditResponse = response) =>
  request(ctx.app)
    .put(`/api/audits/${id}`)
    .set('authorization', `Bearer ${token}`)
    .send({ version, response: body });

async function snapshot(id: number) {
  const knex = ctx.db.knex;
  return {
    audit: await knex('audit').where({ id }).first('lock_version', 'status', 'current_revision'),
    drafts: await knex('audit_revision').where({ audit_id: id }).orderBy('revision').select('response'),
    logged: (
      await knex('audit_event')
        .where({ record_id: String(id), action: 'audit.save_draft' })
        .count('* as n')
    )[0],
  };
}

/** Two saves from the versions returned: the second is the one the server does not read the audit for. */
async function savedTwice(id: number): Promise<number> {
  const first = await save(id, (await ctx.db.knex('audit').where({ id }).first('lock_version')).lock_version);
  expect(first.status).toBe(200);
  const second = await save(id, first.body.version as number);
  expect(second.status).toBe(200);
  return second.body.version as number;
}

it('saves from the version it returned in one statement, logged with the version and revision it made', async () => {
  const id = auditIds[0] as number;
  const version = await savedTwice(id);
  const queries: string[] = [];
  const seen = (q: { sql: string }) => queries.push(q.sql);
  ctx.db.knex.on('query', seen);
  const res = await save(id, version);
  ctx.db.knex.removeListener('query', seen);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ version: version + 1, revision: 1 });
  expect(queries).toHaveLength(1);
  const event = await ctx.db
    .knex('audit_event')
    .where({ record_id: String(id), action: 'audit.save_draft' })
    .orderBy('id', 'desc')
    .first();
  expect(event).toMatchObject({ actor_kind: 'token', record_type: 'audit' });
  expect(event.actor_token_id).not.toBeNull();
  expect(event.summary.after).toMatchObject({ revision: 1, version: version + 1 });
});

const OTHER_AUDITOR = 'other.auditor@example.gov.uk';

/** Changes made behind the server's back, each with the answer the next save must get. */
const CHANGES: { name: string; status: number; change: (id: number) => Promise<unknown> }[] = [
  {
    name: 'saved elsewhere (another server, another tab)',
    status: 409,
    change: (id) => ctx.db.knex('audit').where({ id }).increment('lock_version', 1),
  },
  {
    name: 'reallocated to another auditor (which does not change the version)',
    status: 404,
    change: async (id) => {
      const [user] = await ctx.db
        .knex('app_user')
        .insert({ email: OTHER_AUDITOR, display_name: 'Other Auditor', active: true })
        .returning('id');
      await ctx.db.knex('audit').where({ id }).update({ auditor_user_id: user.id });
    },
  },
  {
    name: 'cancelled when its round closed',
    status: 403,
    change: (id) =>
      ctx.db.knex('audit').where({ id }).update({
        status: 'cancelled',
        cancelled_reason: 'Round closed',
        cancelled_at: ctx.db.knex.fn.now(),
      }),
  },
  {
    name: 'its case restricted, not granted to the auditor',
    status: 404,
    change: (id) =>
      ctx.db.knex.raw(
        'update case_record set restricted = true where id = (select case_id from audit where id = ?)',
        [id],
      ),
  },
  {
    name: 'the auditor no longer holding the auditor role',
    status: 404,
    change: () =>
      ctx.db.knex.raw(
        `delete from user_role where role_code = 'auditor' and user_id = (select id from app_user where email = ?)`,
        [DEMO.auditor],
      ),
  },
];

describe.each(CHANGES)('an audit $name since the last save', ({ status, change }) => {
  it(`refuses the save with ${status} and writes nothing`, async () => {
    const id = auditIds.pop() as number;
    const version = await savedTwice(id);
    await change(id);
    const before = await snapshot(id);
    const res = await save(id, version, { ...response, overall: { grade: 'inadequate', rationale: 'x' } });
    expect(res.status).toBe(status);
    expect(await snapshot(id)).toEqual(before);
  });
});
