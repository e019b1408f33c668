import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { caseScopeFor, scopeIncludes } from '../../src/auth/scope';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import type { User } from '../../src/users/user';
import {
  createTestContext,
  csrfTokenIn,
  DEMO,
  signedInAgent,
  tokenFor,
  type TestContext,
} from '../support/app';
import { FRAMEWORK, PREFILLED_FRAMEWORK, roundForAuditor } from '../support/audits';
import { formIn } from '../support/forms';

let ctx: TestContext;
let framework: Framework;
let aisha: User;
const agents = new Map<string, TestAgent>();

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  aisha = (await ctx.services.users.findByEmail(DEMO.auditor)) as User;
  for (const [who, email] of Object.entries(DEMO)) agents.set(who, await signedInAgent(ctx, email));
}, 120_000);
afterAll(() => ctx.close());

const agent = (who: keyof typeof DEMO) => agents.get(who) as TestAgent;
const user = async (who: keyof typeof DEMO) => (await ctx.services.users.findByEmail(DEMO[who])) as User;

let made = 0;
/** A round of one audit per team for Aisha: `submitted` of them submitted, `drafts` more in progress. */
async function aRound(
  options: { submitted?: number; drafts?: number; blind?: boolean; cases?: number } = {},
) {
  made += 1;
  const { roundId, auditIds } = await roundForAuditor(ctx.services, {
    name: `Round page ${made}`,
    cases: options.cases ?? 60,
    moderation: {
      samplePercent: options.blind ? 100 : 0,
      allInadequate: false,
      allOutstanding: false,
      blind: true,
    },
  });
  const response = completeResponse(framework, () => 1);
  const submitted = auditIds.slice(0, options.submitted ?? 0);
  const drafts = auditIds.slice(submitted.length, submitted.length + (options.drafts ?? 0));
  for (const id of submitted)
    await ctx.services.audits.submit(id, { version: 0, response }, aisha, SYSTEM_ACTOR);
  for (const id of drafts)
    await ctx.services.audits.saveDraft(id, { version: 0, response }, aisha, SYSTEM_ACTOR);
  const rest = auditIds.slice(submitted.length + drafts.length);
  return { roundId, auditIds, submitted, drafts, rest };
}

const events = async (action: string, recordId: number | string) =>
  Number(
    (
      await ctx.db
        .knex('audit_event')
        .where({ action, record_id: String(recordId) })
        .count<{ n: string }[]>('* as n')
    )[0]?.n,
  );

/** What follows a redirect: where it went and the notice the page showed. */
async function follow(who: TestAgent, res: request.Response) {
  const location = res.headers.location as string;
  const page = await who.get(location).expect(200);
  return {
    status: res.status,
    location,
    notice: /govuk-notification-banner__heading">([^<]*)</.exec(page.text)?.[1],
    page: page.text,
  };
}

const auditLinks = (html: string) => [...html.matchAll(/href="\/audits\/(\d+)"/g)].map((m) => Number(m[1]));
/** The part of a page from the element with this id to the end of its table. */
const section = (html: string, id: string) => {
  const start = html.indexOf(`id="${id}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</table>', start));
};

describe('a round’s page, by role', () => {
  let roundId: number;
  beforeAll(async () => {
    ({ roundId } = await aRound({ submitted: 1, drafts: 1 }));
  });

  it.each([
    ['admin', 200],
    ['headOfService', 200],
    ['teamManager', 200],
    ['teamManagerOnly', 200],
    ['auditor', 403],
    ['moderator', 403],
    ['director', 403],
  ] as const)('%s: the rounds list and the page answer %i', async (who, status) => {
    await agent(who).get('/rounds').expect(status);
    await agent(who).get(`/rounds/${roundId}`).expect(status);
  });

  it.each(['admin', 'headOfService', 'teamManager'] as const)(
    '%s: an unknown or malformed round is not found',
    async (who) => {
      await agent(who).get('/rounds/2147483000').expect(404);
      await agent(who).get('/rounds/12abc').expect(404);
    },
  );

  it('shows an admin every audit with its progress, links to each, and the way to close the round', async () => {
    const page = (await agent('admin').get(`/rounds/${roundId}`).expect(200)).text;
    const { audits } = await ctx.services.rounds.get(roundId, SYSTEM_ACTOR);
    expect(audits.length).toBeGreaterThan(2);
    expect(page).toContain(`1 of ${audits.length} submitted.`);
    expect(new Set(auditLinks(section(page, 'audits')))).toEqual(new Set(audits.map((a) => a.id)));
    expect(section(page, 'progress-by-auditor')).toContain('Aisha Khan');
    const teams = new Set(audits.map((a) => a.teamName));
    for (const team of teams) expect(section(page, 'progress-by-team')).toContain(team);
    // Aisha's row: every audit, counted by status.
    const table = section(page, 'progress-by-auditor');
    const row = table.slice(table.indexOf('Aisha Khan'), table.indexOf('</tr>', table.indexOf('Aisha Khan')));
    const cells = [...row.matchAll(/<td[^>]*>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(cells).toEqual([audits.length, 0, audits.length - 2, 1, 1, 0, 0]);
    expect(page).toContain(`href="/rounds/${roundId}/close"`);
    expect(section(page, 'grades')).toContain('Good');
    expect(await events('audit_round.view', roundId)).toBeGreaterThan(0);
  });

  it.each(['headOfService', 'teamManager', 'teamManagerOnly'] as const)(
    '%s: sees only their teams’ audits, links only to submitted ones, and cannot close',
    async (who) => {
      const viewer = await user(who);
      const scope = caseScopeFor(viewer);
      const { audits } = await ctx.services.rounds.get(roundId, SYSTEM_ACTOR);
      const theirs = audits.filter((a) => scopeIncludes(scope, a.teamId));
      const page = (await agent(who).get(`/rounds/${roundId}`).expect(200)).text;
      const listed = section(page, 'audits');
      for (const a of audits)
        expect([a.caseRef, listed.includes(`>${a.caseRef}<`)]).toEqual([a.caseRef, theirs.includes(a)]);
      expect(new Set(auditLinks(listed))).toEqual(
        new Set(theirs.filter((a) => a.status === 'submitted').map((a) => a.id)),
      );
      expect(page).not.toContain('/close"');
      expect(page).not.toContain('/reallocate"');
      await agent(who).get(`/rounds/${roundId}/close`).expect(403);
      const form = await agent('admin').get(`/rounds/${roundId}/close`).expect(200);
      await agent(who)
        .post(`/rounds/${roundId}/close`)
        .type('form')
        .send({ _csrf: csrfTokenIn(page), unsubmitted: 'cancel', reason: 'No' })
        .expect(403);
      expect(form.text).toContain('Close this audit round');
      const rounds = (await agent(who).get('/rounds').expect(200)).text;
      expect(rounds).not.toContain('Plan an audit round');
    },
  );
});

describe('grades so far, with blind moderation', () => {
  it('withholds from a moderator the grades of audits waiting for blind moderation; an admin sees them', async () => {
    const { roundId, submitted } = await aRound({ submitted: 60, blind: true });
    expect(submitted.length).toBeGreaterThan(3);
    const fiona = await user('headOfService');
    expect(fiona.roles).toContain('moderator');
    const { audits } = await ctx.services.rounds.get(roundId, SYSTEM_ACTOR);
    const inScope = audits.filter((a) => scopeIncludes(caseScopeFor(fiona), a.teamId));
    expect(inScope.length).toBeGreaterThan(0);

    const hers = (await agent('headOfService').get(`/rounds/${roundId}`).expect(200)).text;
    expect(hers).toContain(`${inScope.length} submitted audit`);
    expect(hers).toContain('waiting for blind moderation');
    expect(section(hers, 'audits')).toContain('Not shown: blind moderation');
    expect(section(hers, 'audits')).not.toContain('Good');
    expect(hers).not.toContain('id="grades"');

    const admin = (await agent('admin').get(`/rounds/${roundId}`).expect(200)).text;
    expect(admin).not.toContain('waiting for blind moderation');
    expect(section(admin, 'grades')).toMatch(/Good<\/th>\s*<td[^>]*>(\d+)<\/td>/);
    expect(/Good<\/th>\s*<td[^>]*>(\d+)<\/td>/.exec(section(admin, 'grades'))?.[1]).toBe(
      String(audits.length),
    );

    // A team manager who is no moderator sees their teams' grades.
    const harry = await user('teamManagerOnly');
    const his = audits.filter((a) => scopeIncludes(caseScopeFor(harry), a.teamId));
    const page = (await agent('teamManagerOnly').get(`/rounds/${roundId}`).expect(200)).text;
    expect(page).not.toContain('waiting for blind moderation');
    if (his.length > 0) expect(section(page, 'grades')).toContain('Good');
  });
});

describe('closing a round in the browser, without JavaScript', () => {
  it('states what happens, asks for a choice and a reason, and cancels the audits not yet submitted', async () => {
    const { roundId, submitted, drafts, rest } = await aRound({ submitted: 1, drafts: 1 });
    const admin = agent('admin');
    const path = `/rounds/${roundId}/close`;
    const page = (await admin.get(path).expect(200)).text;
    const open = drafts.length + rest.length;
    expect(page).toContain(`${open} audits are not yet submitted`);
    expect(page).toContain('submitted audits stay as they are');
    const form = formIn(page, path);

    const none = await admin.post(path).type('form').send(form).expect(422);
    expect(none.text).toContain('<a href="#unsubmitted">Choose whether to cancel');
    const noReason = await admin
      .post(path)
      .type('form')
      .send({ ...form, unsubmitted: 'cancel', reason: '  ' })
      .expect(422);
    expect(noReason.text).toContain('<a href="#reason">Enter why the audits are cancelled');
    expect(noReason.text).toMatch(/value="cancel"[^>]*checked/);

    const reason = 'The service restructure moved these teams; they will be sampled again in March.';
    const closed = await follow(
      admin,
      await admin
        .post(path)
        .type('form')
        .send({ ...form, unsubmitted: 'cancel', reason })
        .expect(303),
    );
    expect(closed.location).toBe(`/rounds/${roundId}`);
    expect(closed.notice).toBe(
      `Round page ${made} is closed. ${open} audits not yet submitted were cancelled.`,
    );
    expect(closed.page).toContain('Closed</strong>');
    expect(closed.page).toContain('The audits not yet submitted were cancelled.');
    expect(section(closed.page, 'audits')).toContain(reason);
    expect(closed.page).not.toContain(`href="${path}"`);

    const rows = await ctx.db
      .knex('audit')
      .where({ round_id: roundId })
      .select('id', 'status', 'cancelled_reason');
    for (const row of rows)
      expect(row).toMatchObject(
        submitted.includes(row.id)
          ? { status: 'submitted', cancelled_reason: null }
          : { status: 'cancelled', cancelled_reason: reason },
      );
    expect(await events('audit_round.close', roundId)).toBe(1);
    for (const id of [...drafts, ...rest]) expect(await events('audit.cancel', id)).toBe(1);

    // Gone from Aisha's work to do; listed as cancelled, with the reason.
    const mine = (await agent('auditor').get('/my-audits').expect(200)).text;
    for (const id of [...drafts, ...rest]) expect(auditLinks(section(mine, 'to-do'))).not.toContain(id);
    const cancelled = mine.slice(mine.indexOf('id="cancelled"'));
    for (const id of [...drafts, ...rest]) expect(cancelled).toContain(`href="/audits/${id}"`);
    expect(cancelled).toContain(reason);
    const auditPage = (await agent('auditor').get(`/audits/${drafts[0]}`).expect(200)).text;
    expect(auditPage).toContain(`This audit was cancelled when its round closed: ${reason}`);
    expect(auditPage).not.toContain('/check"');
    const api = await request(ctx.app)
      .get('/api/my-audits')
      .set('Authorization', `Bearer ${await tokenFor(ctx, DEMO.auditor)}`)
      .expect(200);
    expect(api.body.toDo.map((a: { id: number }) => a.id)).not.toContain(drafts[0]);
    expect(api.body.cancelled.map((a: { id: number }) => a.id)).toContain(drafts[0]);
    const saving = await request(ctx.app)
      .put(`/api/audits/${drafts[0]}`)
      .set('Authorization', `Bearer ${await tokenFor(ctx, DEMO.auditor)}`)
      .send({ version: 2, response: {} });
    expect(saving.status).toBeGreaterThanOrEqual(400);
    expect(saving.status).toBeLessThan(500);

    // The rounds list shows it closed, with its progress.
    const list = (await admin.get('/rounds').expect(200)).text;
    const row = list.slice(list.indexOf(`href="/rounds/${roundId}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(/Closed[\s\S]*1 of 1 submitted[\s\S]*cancelled/);
  });

  it('answers the same form posted twice with the first answer, and a later form with “already closed”', async () => {
    const { roundId } = await aRound({ submitted: 1 });
    const admin = agent('admin');
    const path = `/rounds/${roundId}/close`;
    const one = formIn((await admin.get(path).expect(200)).text, path);
    const two = formIn((await admin.get(path).expect(200)).text, path);
    expect(one._idempotency).not.toBe(two._idempotency);
    const body = { ...one, unsubmitted: 'cancel', reason: 'Round replaced by the themed audit.' };
    const first = await follow(admin, await admin.post(path).type('form').send(body).expect(303));
    const again = await follow(admin, await admin.post(path).type('form').send(body).expect(303));
    expect(again.notice).toBe(first.notice);
    expect(again.location).toBe(first.location);
    const late = await follow(
      admin,
      await admin
        .post(path)
        .type('form')
        .send({ ...two, unsubmitted: 'cancel', reason: 'Again' })
        .expect(303),
    );
    expect(late.location).toBe(`/rounds/${roundId}`);
    expect(late.notice).toMatch(
      /^Round page \d+ was already closed on \d{1,2} \w+ \d{4} by Sam Patel\. Nothing was changed\.$/,
    );
    const reopened = await follow(admin, await admin.get(path).expect(303));
    expect(reopened.notice).toBe(late.notice);
    expect(await events('audit_round.close', roundId)).toBe(1);
    const reasons = await ctx.db
      .knex('audit')
      .where({ round_id: roundId, status: 'cancelled' })
      .distinct('cancelled_reason');
    expect(reasons).toEqual([{ cancelled_reason: 'Round replaced by the themed audit.' }]);
  });

  it('closes a round whose audits are all submitted without asking anything', async () => {
    const { roundId } = await aRound({ submitted: 60 });
    const admin = agent('admin');
    const path = `/rounds/${roundId}/close`;
    const page = (await admin.get(path).expect(200)).text;
    expect(page).toContain('every audit of the round has been submitted');
    expect(page).not.toContain('name="unsubmitted"');
    const closed = await follow(
      admin,
      await admin.post(path).type('form').send(formIn(page, path)).expect(303),
    );
    expect(closed.notice).toContain('is closed. Every audit had been submitted.');
  });

  it('carries the audits not yet submitted over to another open round of the same framework version', async () => {
    const source = await aRound({ submitted: 1, drafts: 1 });
    const { round } = await ctx.services.rounds.get(source.roundId, SYSTEM_ACTOR);
    const plan = (name: string, version: string) => ({
      name,
      frameworkId: FRAMEWORK.id,
      frameworkVersion: version,
      importId: round.importId,
      dueDate: '2099-03-31',
      seed: 11,
      filters: {},
      size: { kind: 'fixed' as const, total: 3 },
      stratifyBy: 'none' as const,
      exclusions: { auditedWithinMonths: null, inOtherOpenRound: true, closed: true, restricted: true },
      auditors: [{ userId: aisha.id, capacity: 10 }],
    });
    const target = await ctx.services.rounds.create(
      plan('Carry-over target', FRAMEWORK.version),
      SYSTEM_ACTOR,
    );
    const other = await ctx.services.rounds.create(
      plan('Another version', PREFILLED_FRAMEWORK.version),
      SYSTEM_ACTOR,
    );
    const admin = agent('admin');
    const path = `/rounds/${source.roundId}/close`;
    const page = (await admin.get(path).expect(200)).text;
    expect(page).toContain(`value="carry-over:${target.id}"`);
    expect(page).toContain('Carry them over to Carry-over target');
    expect(page).not.toContain(`value="carry-over:${other.id}"`);
    const form = formIn(page, path);
    const wrong = await admin
      .post(path)
      .type('form')
      .send({ ...form, unsubmitted: `carry-over:${other.id}` })
      .expect(422);
    expect(wrong.text).toContain('Choose an open round that uses the same framework version');

    const moving = [...source.drafts, ...source.rest];
    const closed = await follow(
      admin,
      await admin
        .post(path)
        .type('form')
        .send({ ...form, unsubmitted: `carry-over:${target.id}` })
        .expect(303),
    );
    expect(closed.notice).toBe(
      `${round.name} is closed. ${moving.length} audits not yet submitted were carried over to Carry-over target.`,
    );
    expect(closed.page).toContain(`href="/rounds/${target.id}">Carry-over target</a>`);
    for (const id of moving) expect(auditLinks(section(closed.page, 'carried-over'))).toContain(id);
    const rows = await ctx.db.knex('audit').whereIn('id', moving).select('*');
    for (const row of rows)
      expect(row).toMatchObject({
        round_id: target.id,
        carried_over_from_round_id: source.roundId,
        due_date: '2099-03-31',
      });
    // The draft came with it, still Aisha's to finish.
    expect(rows.find((r) => r.id === source.drafts[0])).toMatchObject({
      status: 'in_progress',
      current_revision: 1,
    });
    const targetPage = (await admin.get(`/rounds/${target.id}`).expect(200)).text;
    expect(targetPage).toContain(`Carried over from ${round.name}`);
    const mine = (await agent('auditor').get('/my-audits').expect(200)).text;
    expect(auditLinks(section(mine, 'to-do'))).toEqual(expect.arrayContaining(moving));
    for (const id of moving) expect(await events('audit.carry_over', id)).toBe(1);
    expect(await events('audit_round.close', source.roundId)).toBe(1);
  });

  it('refuses to carry over audits of children the other round already audits, naming them', async () => {
    const first = await aRound({});
    const second = await aRound({});
    const { audits } = await ctx.services.rounds.get(first.roundId, SYSTEM_ACTOR);
    const admin = agent('admin');
    const path = `/rounds/${first.roundId}/close`;
    const form = formIn((await admin.get(path).expect(200)).text, path);
    const refused = await admin
      .post(path)
      .type('form')
      .send({ ...form, unsubmitted: `carry-over:${second.roundId}` })
      .expect(422);
    expect(refused.text).toContain(`already has an audit of case ${audits[0]?.caseRef}`);
    expect((await ctx.db.knex('audit_round').where({ id: first.roundId }).first()).status).toBe('open');
  });
});

describe('closing a round through the API', () => {
  const close = (token: string, id: number, body: object, key?: string) => {
    const req = request(ctx.app)
      .post(`/api/audit-rounds/${id}/close`)
      .set('Authorization', `Bearer ${token}`);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };

  it('closes, answers a repeat with the same key alike, and refuses a second close with 409', async () => {
    const { roundId, rest } = await aRound({ submitted: 2 });
    const token = await tokenFor(ctx, DEMO.admin);
    const bad = await close(token, roundId, { unsubmitted: 'cancel' }).expect(422);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors).toEqual([{ field: 'reason', message: expect.stringContaining('Enter why') }]);
    const odd = await close(token, roundId, { unsubmitted: 'delete' }).expect(422);
    expect(odd.body.errors).toEqual([{ field: 'unsubmitted', message: 'must be "cancel" or "carry-over"' }]);
    const noTarget = await close(token, roundId, { unsubmitted: 'carry-over', toRoundId: 2147483000 }).expect(
      422,
    );
    expect(noTarget.body.errors[0].field).toBe('toRoundId');

    const body = { unsubmitted: 'cancel', reason: 'Replaced by the next monthly round.' };
    const first = await close(token, roundId, body, `close-${roundId}`).expect(200);
    expect(first.body).toEqual({
      roundId,
      name: expect.any(String),
      outcome: 'cancelled',
      cancelled: rest.length,
      carriedOver: 0,
      toRound: null,
    });
    const again = await close(token, roundId, body, `close-${roundId}`).expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const twice = await close(token, roundId, body).expect(409);
    expect(twice.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(twice.body.detail).toMatch(/was already closed on .* by Sam Patel\. Nothing was changed\./);
    expect(await events('audit_round.close', roundId)).toBe(1);
  });

  it('is for admins only, and a round that does not exist is not found', async () => {
    const { roundId } = await aRound({});
    for (const who of ['auditor', 'headOfService', 'teamManager', 'director'] as const) {
      const token = await tokenFor(ctx, DEMO[who]);
      await close(token, roundId, { unsubmitted: 'cancel', reason: 'x' }).expect(403);
    }
    await close(await tokenFor(ctx, DEMO.admin), 2147483000, {}).expect(404);
    expect((await ctx.db.knex('audit_round').where({ id: roundId }).first()).status).toBe('open');
  });
});
