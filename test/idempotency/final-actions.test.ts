import type TestAgent from 'supertest/lib/agent';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/activity-log/actor';
import { completeResponse } from '../../src/demo/responses';
import type { Framework } from '../../src/frameworks/types';
import { createTestContext, DEMO, signedInAgent, tokenFor, type TestContext } from '../support/app';
import { FRAMEWORK, PREFILLED_FRAMEWORK, roundForAuditor } from '../support/audits';
import { importNativeCases } from '../support/case-lists';
import { formIn } from '../support/forms';
import { listRoutes } from '../support/routes';

let ctx: TestContext;
let framework: Framework;
let importId: number;

beforeAll(async () => {
  ctx = await createTestContext({ frameworks: true });
  framework = (await ctx.services.frameworks.get(FRAMEWORK.id, FRAMEWORK.version)).framework;
  importId = await importNativeCases(ctx.services.cases, 60, 'final-actions.csv');
  await ctx.services.users.add(
    { email: 'final.moderator@example.gov.uk', displayName: 'Final Moderator', roles: ['moderator'] },
    SYSTEM_ACTOR,
  );
});
afterAll(() => ctx.close());

let rounds = 0;
/** A fresh audit allocated to the demo auditor: graded in full (a draft), or submitted. */
async function anAudit(state: 'complete-draft' | 'submitted', moderated = false): Promise<number> {
  rounds += 1;
  const { auditIds } = await roundForAuditor(ctx.services, {
    name: `Final actions ${rounds}`,
    cases: 20,
    perTeam: 1,
    moderation: {
      samplePercent: moderated ? 100 : 0,
      allInadequate: false,
      allOutstanding: false,
      blind: true,
    },
  });
  const id = auditIds[0] as number;
  const auditor = await ctx.services.users.findByEmail(DEMO.auditor);
  const response = completeResponse(framework, () => 1);
  if (state === 'complete-draft')
    await ctx.services.audits.saveDraft(id, { version: 0, response }, auditor!, SYSTEM_ACTOR);
  else await ctx.services.audits.submit(id, { version: 0, response }, auditor!, SYSTEM_ACTOR);
  return id;
}

/** Walks the round-planning journey to its check page, answering each question simply. */
async function planARound(agent: TestAgent, name: string): Promise<void> {
  const answers: Record<string, Record<string, string | string[]>> = {
    name: { name },
    framework: { framework: `${PREFILLED_FRAMEWORK.id}@${PREFILLED_FRAMEWORK.version}` },
    population: { importId: String(importId) },
    'case-types': { caseTypes: ['child-in-need', 'child-protection'] },
    teams: { teamScope: 'all' },
    themes: { themed: 'no' },
    exclusions: { exclude: ['closed', 'restricted'], months: '12' },
    size: { sizeKind: 'fixed', total: '3' },
    spread: { stratifyBy: 'team' },
    auditors: {},
    'due-date': { 'dueDate-day': '31', 'dueDate-month': '1', 'dueDate-year': '2099' },
  };
  let path = (await agent.get('/rounds/new').expect(302)).headers.location as string;
  while (path !== '/rounds/new/check') {
    const slug = path.replace('/rounds/new/', '');
    const page = await agent.get(path).expect(200);
    const form = formIn(page.text, path);
    const res = await agent
      .post(path)
      .type('form')
      .send({ ...form, ...answers[slug] });
    expect({ slug, status: res.status }).toEqual({ slug, status: 303 });
    path = res.headers.location as string;
  }
}

interface FinalAction {
  /** Who posts the form. */
  who: string;
  /** Makes a fresh record to act on; returns the page holding the form and the form's action. */
  prepare(agent: TestAgent): Promise<{ page: string; action: string; fields?: Record<string, string> }>;
  /** The change's entry in the audit log, and how many times the record was changed (must be one). */
  event: string;
  changes(recordId: string): Promise<number>;
  /** The record an action's audit-log entry is about, from the first answer's redirect. */
  recordOf(action: string, location: string): string;
}

const count = async (query: Promise<{ n: string | number }[]>) => Number((await query)[0]?.n);
const auditIdIn = (action: string) => /\/audits\/(\d+)/.exec(action)?.[1] as string;
const gradedIds = () => [...framework.sections.filter((s) => s.graded).map((s) => s.id), 'overall'];

/** Every final-action form route of the app (a route with two stages twice), each with how to reach its form. */
const ACTIONS: Record<string, FinalAction> = {
  'post /audits/:id/submit': {
    who: DEMO.auditor,
    prepare: async () => {
      const id = await anAudit('complete-draft');
      return { page: `/audits/${id}/check`, action: `/audits/${id}/submit` };
    },
    event: 'audit.submit',
    changes: (id) =>
      count(ctx.db.knex('audit_revision').where({ audit_id: id, status: 'submitted' }).count('* as n')),
    recordOf: auditIdIn,
  },
  'post /audits/:id/reopen': {
    who: DEMO.auditor,
    prepare: async () => {
      const id = await anAudit('submitted');
      return {
        page: `/audits/${id}`,
        action: `/audits/${id}/reopen`,
        fields: { reason: 'The family feedback was filed against the wrong section.' },
      };
    },
    event: 'audit.reopen',
    changes: (id) =>
      count(ctx.db.knex('audit_revision').where({ audit_id: id }).count('* as n')).then((n) => n - 1),
    recordOf: auditIdIn,
  },
  'post /moderation/audits/:id': {
    who: 'final.moderator@example.gov.uk',
    prepare: async () => {
      const id = await anAudit('submitted', true);
      const grades = Object.fromEntries(gradedIds().map((s) => [`grade-${s}`, 'good']));
      return { page: `/moderation/audits/${id}`, action: `/moderation/audits/${id}`, fields: grades };
    },
    event: 'moderation.grade',
    changes: (id) =>
      count(
        ctx.db
          .knex('moderation_grade as g')
          .join('moderation as m', 'm.id', 'g.moderation_id')
          .where('m.audit_id', id)
          .where('g.section_id', 'overall')
          .count('* as n'),
      ),
    recordOf: auditIdIn,
  },
  'post /moderation/audits/:id (the outcome)': {
    who: 'final.moderator@example.gov.uk',
    prepare: async () => {
      const id = await anAudit('submitted', true);
      const moderator = await ctx.services.users.findByEmail('final.moderator@example.gov.uk');
      const grades = Object.fromEntries(gradedIds().map((s) => [s, 'requires-improvement']));
      await ctx.services.moderation.record(id, { grades }, moderator!, SYSTEM_ACTOR);
      return {
        page: `/moderation/audits/${id}`,
        action: `/moderation/audits/${id}`,
        fields: { 'agreed-overall': 'requires-improvement', 'reason-overall': 'Plans lack timescales.' },
      };
    },
    event: 'moderation.complete',
    changes: (id) =>
      count(ctx.db.knex('moderation').where({ audit_id: id, status: 'completed' }).count('* as n')),
    recordOf: auditIdIn,
  },
  'post /rounds/:id/close': {
    who: DEMO.admin,
    prepare: async () => {
      rounds += 1;
      const { roundId } = await roundForAuditor(ctx.services, {
        name: `Round to close ${rounds}`,
        cases: 20,
      });
      return {
        page: `/rounds/${roundId}/close`,
        action: `/rounds/${roundId}/close`,
        fields: { unsubmitted: 'cancel', reason: 'Replaced by the next monthly round.' },
      };
    },
    event: 'audit_round.close',
    // The cancellations of the round's first audit: one, however often the form is posted.
    changes: async (id) => {
      const first = (await ctx.db.knex('audit').where({ round_id: id }).min('id as id').first()) as {
        id: number;
      };
      return count(
        ctx.db
          .knex('audit_event')
          .where({ action: 'audit.cancel', record_id: String(first.id) })
          .count('* as n'),
      );
    },
    recordOf: (action) => /\/rounds\/(\d+)/.exec(action)?.[1] as string,
  },
  'post /rounds/new/check': {
    who: DEMO.admin,
    prepare: async (agent) => {
      rounds += 1;
      await planARound(agent, `Planned round ${rounds}`);
      return { page: '/rounds/new/check', action: '/rounds/new/check' };
    },
    event: 'audit_round.create',
    changes: (id) =>
      count(
        ctx.db
          .knex('audit_round')
          .where('name', ctx.db.knex('audit_round').where({ id }).select('name'))
          .count('* as n'),
      ),
    recordOf: (_action, location) => /\/rounds\/(\d+)/.exec(location)?.[1] as string,
  },
};

/** What a post answered: its status, where it sent the user, and the notice the next page showed. */
async function answerTo(agent: TestAgent, res: request.Response) {
  const location = res.headers.location;
  const next = location ? await agent.get(location) : undefined;
  const notice = next && /govuk-notification-banner__heading">([^<]*)</.exec(next.text)?.[1];
  return { status: res.status, location, notice };
}

const events = (action: string, recordId: string) =>
  count(ctx.db.knex('audit_event').where({ action, record_id: recordId }).count('* as n'));

describe('final actions', () => {
  it('are every route marked finalAction, and each has a case here', () => {
    const marked = listRoutes(ctx.app)
      .filter((r) => r.handlers.includes('finalAction'))
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(marked).toEqual([...new Set(Object.keys(ACTIONS).map((k) => k.replace(/ \(.*\)$/, '')))].sort());
  });

  describe.each(Object.entries(ACTIONS))('%s', (_route, action) => {
    async function formFor(agent: TestAgent) {
      const target = await action.prepare(agent);
      const page = await agent.get(target.page).expect(200);
      const form = formIn(page.text, target.action);
      expect(form._idempotency).toMatch(/^[0-9a-f-]{36}$/);
      // Each rendering of the form has a key of its own.
      expect(formIn((await agent.get(target.page)).text, target.action)._idempotency).not.toBe(
        form._idempotency,
      );
      return { action: target.action, body: { ...form, ...target.fields } };
    }

    it('answers the same form posted twice with what the first post did, changing once', async () => {
      const agent = await signedInAgent(ctx, action.who);
      const { action: path, body } = await formFor(agent);
      const first = await answerTo(agent, await agent.post(path).type('form').send(body));
      expect(first.status).toBeGreaterThanOrEqual(300);
      expect(first.status).toBeLessThan(400);
      expect(first.notice ?? '').not.toContain('already');
      const again = await answerTo(agent, await agent.post(path).type('form').send(body));
      expect(again).toEqual(first);
      const record = action.recordOf(path, first.location as string);
      expect(await action.changes(record)).toBe(1);
      expect(await events(action.event, record)).toBe(1);
    });

    it('answers the same form posted twice at once with one answer, changing once', async () => {
      const agent = await signedInAgent(ctx, action.who);
      const { action: path, body } = await formFor(agent);
      const posts = await Promise.all([
        agent.post(path).type('form').send(body),
        agent.post(path).type('form').send(body),
      ]);
      expect(posts.map((p) => [p.status, p.headers.location])).toEqual([
        [posts[0]?.status, posts[0]?.headers.location],
        [posts[0]?.status, posts[0]?.headers.location],
      ]);
      expect(posts[0]?.status).toBeLessThan(400);
      const record = action.recordOf(path, posts[0]?.headers.location as string);
      expect(await action.changes(record)).toBe(1);
      expect(await events(action.event, record)).toBe(1);
    });
  });
});

describe('a final action posted from a page opened before it was recorded', () => {
  it.each([
    ['post /audits/:id/reopen', 'Only a submitted audit can be reopened'],
    ['post /moderation/audits/:id', 'Your own grades were already recorded'],
    ['post /moderation/audits/:id (the outcome)', 'This moderation was already completed'],
  ])('%s: goes to where the record now is, saying nothing changed', async (route, notice) => {
    const action = ACTIONS[route] as FinalAction;
    const agent = await signedInAgent(ctx, action.who);
    const target = await action.prepare(agent);
    // Two tabs: two renderings of the form, each with a key of its own.
    const one = formIn((await agent.get(target.page).expect(200)).text, target.action);
    const two = formIn((await agent.get(target.page).expect(200)).text, target.action);
    await agent
      .post(target.action)
      .type('form')
      .send({ ...one, ...target.fields })
      .expect(302);
    const late = await answerTo(
      agent,
      await agent
        .post(target.action)
        .type('form')
        .send({ ...two, ...target.fields }),
    );
    expect(late.status).toBe(303);
    expect(late.notice).toContain(notice);
    const record = auditIdIn(target.action);
    expect(await action.changes(record)).toBe(1);
    expect(await events(action.event, record)).toBe(1);
  });
});

describe('final actions in the API, sent twice with one Idempotency-Key', () => {
  it('submit: the same JSON, one submission', async () => {
    const id = await anAudit('complete-draft');
    const token = await tokenFor(ctx, DEMO.auditor);
    const send = () =>
      request(ctx.app)
        .post(`/api/audits/${id}/submit`)
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', `submit-${id}`)
        .send({ version: 1 });
    const [a, b] = await Promise.all([send(), send()]);
    const c = await send().expect(200);
    expect([a?.status, b?.status]).toEqual([200, 200]);
    expect(b?.body).toEqual(a?.body);
    expect(c.body).toEqual(a?.body);
    expect(await events('audit.submit', String(id))).toBe(1);
  });

  it('moderation outcome: the same JSON, one outcome', async () => {
    const id = await anAudit('submitted', true);
    const token = await tokenFor(ctx, 'final.moderator@example.gov.uk');
    const items = gradedIds();
    const post = (key: string, body: object) =>
      request(ctx.app)
        .post(`/api/audits/${id}/moderation`)
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', key)
        .send(body);
    await post('grades', { grades: Object.fromEntries(items.map((s) => [s, 'good'])) }).expect(200);
    const outcome = { agreed: Object.fromEntries(items.map((s) => [s, { grade: 'good' }])) };
    const first = await post('outcome', outcome).expect(200);
    const again = await post('outcome', outcome).expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await events('moderation.complete', String(id))).toBe(1);
  });
});
